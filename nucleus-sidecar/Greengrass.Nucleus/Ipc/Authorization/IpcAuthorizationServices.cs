namespace Greengrass.Nucleus.Ipc.Authorization;

/// <summary>The IPC service identifiers of accessControl and the operations each one governs (§6.7).</summary>
internal static class IpcAuthorizationServices
{
    public const string PubSub = "aws.greengrass.ipc.pubsub";
    public const string MqttProxy = "aws.greengrass.ipc.mqttproxy";
    public const string Lifecycle = "aws.greengrass.ipc.lifecycle";
    public const string Cli = "aws.greengrass.Cli";
    public const string ClientDeviceAuth = "aws.greengrass.clientdevices.Auth";

    private static readonly Dictionary<string, HashSet<string>> Operations = new(StringComparer.Ordinal)
    {
        [PubSub] = Qualified("PublishToTopic", "SubscribeToTopic"),
        [MqttProxy] = Qualified("PublishToIoTCore", "SubscribeToIoTCore"),
        ["aws.greengrass.SecretManager"] = Qualified("GetSecretValue"),
        ["aws.greengrass.ShadowManager"] = Qualified("GetThingShadow", "UpdateThingShadow", "DeleteThingShadow", "ListNamedShadowsForThing"),
        [Lifecycle] = Qualified("PauseComponent", "ResumeComponent"),
        [ClientDeviceAuth] = Qualified(
            "SubscribeToCertificateUpdates", "VerifyClientDeviceIdentity", "GetClientDeviceAuthToken", "AuthorizeClientDeviceAction"),
        [Cli] = Qualified(
            "GetComponentDetails", "ListComponents", "RestartComponent", "StopComponent", "CreateLocalDeployment",
            "GetLocalDeploymentStatus", "ListLocalDeployments", "CancelLocalDeployment", "CreateDebugPassword"),
        ["aws.greengrass.ipc.componentmetric"] = Qualified("PutComponentMetric"),
        ["aws.greengrass.TokenExchangeService"] = new(StringComparer.Ordinal) { "getCredentials" },
    };

    /// <summary>True when <paramref name="operation"/> (fully qualified, or <c>*</c>) is registered for <paramref name="service"/>.</summary>
    public static bool IsRegistered(string service, string operation) =>
        operation == "*" || (Operations.TryGetValue(service, out var ops) && ops.Contains(operation));

    /// <summary>Services whose resources are MQTT topic filters (<c>+</c>/<c>#</c> honoured).</summary>
    public static bool IsMqttStyle(string service) => service == MqttProxy;

    private static HashSet<string> Qualified(params string[] names) =>
        new(names.Select(n => IpcFrames.ShapePrefix + n), StringComparer.Ordinal);
}
