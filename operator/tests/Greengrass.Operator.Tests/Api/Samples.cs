namespace Greengrass.Operator.Tests.Api;

/// <summary>Sample resources as a user would write them, one per kind, with status as the operator would write it.</summary>
internal static class Samples
{
    public const string Component = """
        apiVersion: greengrass.edge.dev/v1alpha1
        kind: Component
        metadata:
          name: com.example.hello-1.0.0
          namespace: edge
        spec:
          recipeFormatVersion: "2020-01-25"
          componentName: com.example.HelloWorld
          componentVersion: 1.0.0
          componentType: aws.greengrass.generic
          description: Says hello
          publisher: Example Corp
          configuration:
            defaultConfiguration:
              message: hello
              interval: 5
              nested:
                list: [1, "two", true, null, 2.5]
              accessControl:
                aws.greengrass.ipc.pubsub:
                  com.example.HelloWorld:pubsub:1:
                    policyDescription: publish greetings
                    operations: ["aws.greengrass#PublishToTopic"]
                    resources: ["hello/*"]
          dependencies:
            aws.greengrass.Nucleus:
              versionRequirement: ">=2.0.0 <3.0.0"
              dependencyType: SOFT
          manifests:
            - platform:
                os: linux
                architecture: /amd64|aarch64/
              name: linux
              selections: [linux]
              artifacts:
                - uri: s3://bucket/hello.zip
                  digest: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
                  algorithm: SHA-256
                  unarchive: ZIP
                  permission:
                    read: ALL
                    execute: OWNER
              lifecycle:
                install: "pip3 install -r {artifacts:decompressedPath}/hello/requirements.txt"
                run:
                  script: python3 -u {artifacts:decompressedPath}/hello/hello.py "{configuration:/message}"
                  requiresPrivilege: false
          lifecycle:
            linux:
              run: echo hello
            all:
              run: echo other
        status:
          observedGeneration: 1
          conditions:
            - type: Ready
              status: "True"
              reason: Succeeded
              message: ""
              lastTransitionTime: "2024-05-01T10:00:00Z"
              observedGeneration: 1
          usedBy: [fleet-hello]
          artifacts:
            - uri: s3://bucket/hello.zip
              algorithm: SHA-256
              digest: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
              size: 2048
        """;

    public const string DeploymentToGroup = """
        apiVersion: greengrass.edge.dev/v1alpha1
        kind: Deployment
        metadata:
          name: fleet-hello
          namespace: edge
        spec:
          coreDeviceSelector:
            matchLabels:
              fleet: factory-a
            matchExpressions:
              - key: tier
                operator: In
                values: [edge, gateway]
          components:
            com.example.HelloWorld:
              version: 1.0.0
              configurationUpdate:
                reset: ["/interval", ""]
                merge:
                  message: hi from the fleet
                  nested: {list: []}
              runWith:
                posixUser: ggc_user:ggc_group
                systemResourceLimits:
                  cpus: 0.5
                  memory: 102400
          policies:
            failureHandling: ROLLBACK
            componentUpdate:
              action: NOTIFY_COMPONENTS
              timeoutSeconds: 60
            configurationValidation:
              timeoutSeconds: 30
          rollout:
            maxConcurrent: 25%
            perDeviceTimeoutSeconds: 600
            abortCriteria:
              - failureType: FAILED
                thresholdPercentage: 10
                minNumberOfDevices: 5
        status:
          observedGeneration: 2
          revision: 3
          target: fleet=factory-a,tier in (edge,gateway)
          phase: InProgress
          devices:
            targeted: 10
            succeeded: 6
            failed: 1
            inProgress: 2
            pending: 1
          conditions:
            - type: Progressing
              status: "True"
              reason: Progressing
              message: 2 devices applying revision 3
              lastTransitionTime: "2024-05-01T10:00:00Z"
              observedGeneration: 2
          conflicts:
            - "com.example.HelloWorld: fleet-hello pins 1.0.0, pilot pins 1.1.0 on coreDevice/gw-1"
        """;

    public const string DeploymentToDevice = """
        apiVersion: greengrass.edge.dev/v1alpha1
        kind: Deployment
        metadata:
          name: pilot
        spec:
          coreDeviceName: gw-1
          components:
            com.example.HelloWorld:
              version: 1.1.0-beta.1
          rollout:
            maxConcurrent: 1
        """;

    public const string CoreDevice = """
        apiVersion: greengrass.edge.dev/v1alpha1
        kind: CoreDevice
        metadata:
          name: gw-1
          labels:
            fleet: factory-a
            tier: gateway
        spec:
          thingName: factory-a-gw-1
          placement:
            nodeSelector:
              kubernetes.io/hostname: edge-node-1
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions:
                        - key: kubernetes.io/arch
                          operator: In
                          values: [arm64]
            tolerations:
              - key: edge
                operator: Exists
                effect: NoSchedule
          nucleus:
            version: 2.13.0
            image: ghcr.io/example/greengrass-nucleus:2.13.0
            resources:
              requests:
                cpu: 250m
                memory: 256Mi
              limits:
                memory: 1Gi
                cpu: "2"
            logging:
              level: INFO
              format: JSON
          identity:
            certificateSecretRef:
              name: gw-1-identity
          mqtt:
            port: 8883
            upstream:
              endpoint: mqtt.example.com
              port: 8883
              certificateSecretRef:
                name: gw-1-upstream
            spooler:
              maxSizeInBytes: 2621440
              keepQos0WhenOffline: false
              storageType: Disk
          connectivity:
            - hostAddress: 192.168.1.20
              portNumber: 8883
              metadata: factory LAN
          storage:
            hostPath:
              path: /var/lib/greengrass
              type: DirectoryOrCreate
        status:
          observedGeneration: 4
          health: HEALTHY
          nucleusVersion: 2.13.0
          node: edge-node-1
          pod: gw-1-nucleus
          appliedRevision: 7
          desiredRevision: 7
          components:
            - name: com.example.HelloWorld
              version: 1.0.0
              state: RUNNING
              restartCount: 0
              lastTransitionTime: "2024-05-01T10:00:00Z"
            - name: com.example.Flaky
              version: 0.1.0
              state: ERRORED
              message: run exited with code 1
              restartCount: 2
              lastTransitionTime: "2024-05-01T10:01:00Z"
          componentsSummary: 1/2
          conditions:
            - type: Ready
              status: "False"
              reason: ComponentsNotReady
              message: com.example.Flaky is ERRORED
              lastTransitionTime: "2024-05-01T10:01:00Z"
              observedGeneration: 4
          lastStatusUpdate: "2024-05-01T10:01:05Z"
        """;

    public const string ClientDevice = """
        apiVersion: greengrass.edge.dev/v1alpha1
        kind: ClientDevice
        metadata:
          name: sensor-7
        spec:
          thingName: sensor-7
          attributes:
            model: th-100
            line: "3"
          certificate:
            secretRef:
              name: sensor-7-cert
          coreDevices:
            names: [gw-1]
            selector:
              matchLabels:
                fleet: factory-a
        status:
          observedGeneration: 1
          certificate:
            state: Valid
            fingerprint: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            subject: CN=sensor-7
            notAfter: "2027-01-01T00:00:00Z"
          coreDevices: [gw-1]
          conditions:
            - type: Ready
              status: "True"
              reason: Succeeded
              message: ""
              lastTransitionTime: "2024-05-01T10:00:00Z"
        """;
}
