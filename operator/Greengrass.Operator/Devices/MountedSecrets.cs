using Greengrass.Api;

namespace Greengrass.Operator.Devices;

/// <summary>A user's Secret the nucleus pod mounts, with the CoreDevice field that names it.</summary>
internal sealed record MountedSecret(string Field, string Name);

/// <summary>
/// The Secrets of the user that a CoreDevice's nucleus pod mounts (the AWS credentials of <c>spec.aws</c> or the device
/// identity the AWS IoT credentials provider authenticates with, the upstream MQTT certificate, the Secrets
/// <c>spec.secrets</c> maps to secret ARNs), each with the field that names it. A pod whose Secret volume is missing waits
/// in ContainerCreating with nothing in its status but a kubelet event; the operator checks these names so the CoreDevice can say which one
/// is missing. The core device CA Secret is not listed: the operator creates it itself. Pure.
/// </summary>
internal static class MountedSecrets
{
    public const string AwsCredentialsField = "spec.aws.credentials.secretRef.name";
    public const string IdentityField = "spec.identity.certificateSecretRef.name";

    public static IReadOnlyList<MountedSecret> Of(CoreDeviceSpec spec)
    {
        var secrets = new List<MountedSecret>();
        if (spec.Aws?.Credentials?.SecretRef?.Name is { Length: > 0 } aws)
        {
            secrets.Add(new MountedSecret(AwsCredentialsField, aws));
        }

        if (spec.Mqtt?.Upstream is { } upstream)
        {
            if (upstream.CertificateSecretRef?.Name is { Length: > 0 } own)
            {
                secrets.Add(new MountedSecret("spec.mqtt.upstream.certificateSecretRef.name", own));
            }
            else if (spec.Identity?.CertificateSecretRef?.Name is { Length: > 0 } identity)
            {
                secrets.Add(new MountedSecret(IdentityField, identity));
            }
        }

        // The credentials provider authenticates with the identity Secret; listed once even when the upstream uses it too.
        if (spec.Aws?.Credentials is { SecretRef: null, IotCredentialsProvider: not null } &&
            spec.Identity?.CertificateSecretRef?.Name is { Length: > 0 } deviceIdentity && !secrets.Any(s => s.Name == deviceIdentity))
        {
            secrets.Add(new MountedSecret(IdentityField, deviceIdentity));
        }

        var index = 0;
        foreach (var mapping in spec.Secrets ?? [])
        {
            if (mapping.SecretRef?.Name is { Length: > 0 } name)
            {
                secrets.Add(new MountedSecret($"spec.secrets[{index}].secretRef.name", name));
            }

            index++;
        }

        return secrets;
    }
}
