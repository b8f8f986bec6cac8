using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>
/// Adds a CoreDevice's <c>spec.aws</c> to its nucleus pod: the region and S3 endpoint as environment variables, and the
/// credentials source: either the credentials Secret mounted read-only, or, for the AWS IoT credentials provider, its
/// endpoint and role alias as environment variables and the device identity Secret (certificate and key) mounted
/// read-only. Keys reach the nucleus through the kubelet, never through the plan ConfigMap or the operator, which
/// never reads a Secret. Pure.
/// </summary>
internal static class AwsAccessPodBuilder
{
    /// <summary>Where the credentials Secret is mounted in the nucleus container.</summary>
    public const string CredentialsMountPath = "/etc/greengrass/aws-credentials";

    /// <summary>The nucleus pod's environment variable naming <see cref="CredentialsMountPath"/>.</summary>
    public const string CredentialsDirEnv = "GG_AWS_CREDENTIALS_DIR";

    /// <summary>The nucleus pod's environment variable holding <c>spec.aws.region</c>.</summary>
    public const string RegionEnv = "GG_AWS_REGION";

    /// <summary>The nucleus pod's environment variable holding <c>spec.aws.s3.endpoint</c>.</summary>
    public const string S3EndpointEnv = "GG_S3_ENDPOINT";

    /// <summary>Where the device identity Secret (tls.crt, tls.key, optional ca.crt) is mounted for the credentials provider.</summary>
    public const string IdentityMountPath = "/etc/greengrass/device-identity";

    /// <summary>The nucleus pod's environment variable naming <see cref="IdentityMountPath"/>.</summary>
    public const string IdentityDirEnv = "GG_AWS_IOT_IDENTITY_DIR";

    /// <summary>The nucleus pod's environment variable holding <c>spec.aws.credentials.iotCredentialsProvider.endpoint</c>.</summary>
    public const string IotCredentialsEndpointEnv = "GG_AWS_IOT_CRED_ENDPOINT";

    /// <summary>The nucleus pod's environment variable holding <c>spec.aws.credentials.iotCredentialsProvider.roleAlias</c>.</summary>
    public const string IotRoleAliasEnv = "GG_AWS_IOT_ROLE_ALIAS";

    private const string VolumeName = "aws-credentials";
    private const string IdentityVolumeName = "device-identity";

    public static void Apply(V1PodSpec podSpec, CoreDeviceSpec spec)
    {
        if (spec.Aws is not { } aws)
        {
            return;
        }

        var container = podSpec.Containers[0];
        container.Env.Add(new V1EnvVar { Name = RegionEnv, Value = aws.Region });
        if (aws.S3?.Endpoint is { Length: > 0 } endpoint)
        {
            container.Env.Add(new V1EnvVar { Name = S3EndpointEnv, Value = endpoint });
        }

        if (aws.Credentials?.SecretRef?.Name is { Length: > 0 } secret)
        {
            MountReadOnly(podSpec, VolumeName, secret, CredentialsMountPath, CredentialsDirEnv);
        }
        else if (aws.Credentials?.IotCredentialsProvider is { } provider && spec.Identity?.CertificateSecretRef?.Name is { Length: > 0 } identity)
        {
            // Its own volume even when the MQTT upstream mounts the same Secret: each consumer finds it at a fixed path.
            MountReadOnly(podSpec, IdentityVolumeName, identity, IdentityMountPath, IdentityDirEnv);
            container.Env.Add(new V1EnvVar { Name = IotCredentialsEndpointEnv, Value = provider.Endpoint });
            container.Env.Add(new V1EnvVar { Name = IotRoleAliasEnv, Value = provider.RoleAlias });
        }
    }

    private static void MountReadOnly(V1PodSpec podSpec, string volume, string secret, string path, string env)
    {
        podSpec.Volumes.Add(new V1Volume
        {
            Name = volume,
            // 0440: the pod's fsGroup reads it, nobody writes it.
            Secret = new V1SecretVolumeSource { SecretName = secret, DefaultMode = Convert.ToInt32("0440", 8) },
        });
        var container = podSpec.Containers[0];
        container.VolumeMounts.Add(new V1VolumeMount { Name = volume, MountPath = path, ReadOnlyProperty = true });
        container.Env.Add(new V1EnvVar { Name = env, Value = path });
    }
}
