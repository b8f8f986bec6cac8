using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>
/// Adds a CoreDevice's <c>spec.aws</c> to its nucleus pod: the credentials Secret mounted read-only (the keys reach the
/// nucleus through the kubelet, never through the plan ConfigMap or the operator, which never reads the Secret), and
/// the region and S3 endpoint as environment variables. Pure.
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

    private const string VolumeName = "aws-credentials";

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

        if (aws.Credentials?.SecretRef?.Name is not { Length: > 0 } secret)
        {
            return;
        }

        podSpec.Volumes.Add(new V1Volume
        {
            Name = VolumeName,
            // 0440: the pod's fsGroup reads it, nobody writes it.
            Secret = new V1SecretVolumeSource { SecretName = secret, DefaultMode = Convert.ToInt32("0440", 8) },
        });
        container.VolumeMounts.Add(new V1VolumeMount { Name = VolumeName, MountPath = CredentialsMountPath, ReadOnlyProperty = true });
        container.Env.Add(new V1EnvVar { Name = CredentialsDirEnv, Value = CredentialsMountPath });
    }
}
