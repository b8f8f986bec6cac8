using System.Text.Json;
using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>
/// Adds a CoreDevice's <c>spec.secrets</c> to its nucleus pod: each mapped Secret mounted read-only under
/// <see cref="MountRoot"/>, and the ARN of each mapping with its folder in <see cref="MappingEnv"/> (JSON). The values
/// reach the nucleus through the kubelet only, which also updates the mounted files when a Secret changes. Pure.
/// </summary>
internal static class SecretsPodBuilder
{
    /// <summary>Where the mapped Secrets are mounted in the nucleus container, one folder per Secret name.</summary>
    public const string MountRoot = "/etc/greengrass/secrets";

    /// <summary>The nucleus pod's environment variable with <c>[{"arn": …, "path": …}]</c>.</summary>
    public const string MappingEnv = "GG_SECRETS";

    public static void Apply(V1PodSpec podSpec, CoreDeviceSpec spec)
    {
        var mappings = Mappings(spec);
        if (mappings.Count == 0)
        {
            return;
        }

        var container = podSpec.Containers[0];
        var names = mappings.Select(m => m.Secret).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var volume = $"gg-secret-{i}";
            // 0440: the pod's fsGroup reads it, nobody writes it.
            podSpec.Volumes.Add(new V1Volume { Name = volume, Secret = new V1SecretVolumeSource { SecretName = names[i], DefaultMode = Convert.ToInt32("0440", 8) } });
            container.VolumeMounts.Add(new V1VolumeMount { Name = volume, MountPath = PathOf(names[i]), ReadOnlyProperty = true });
        }

        var json = JsonSerializer.Serialize(mappings.Select(m => new Dictionary<string, string> { ["arn"] = m.Arn, ["path"] = PathOf(m.Secret) }));
        container.Env.Add(new V1EnvVar { Name = MappingEnv, Value = json });
    }

    /// <summary>
    /// The usable mappings in spec order, the first one of an ARN kept: the CRD makes the ARN a list-map key, so the
    /// API server rejects duplicates; the check here keeps a server without that check from giving the nucleus two.
    /// </summary>
    public static IReadOnlyList<(string Arn, string Secret)> Mappings(CoreDeviceSpec spec)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, string)>();
        foreach (var mapping in spec.Secrets ?? [])
        {
            if (mapping.Arn is { Length: > 0 } arn && mapping.SecretRef?.Name is { Length: > 0 } name && seen.Add(arn))
            {
                result.Add((arn, name));
            }
        }

        return result;
    }

    private static string PathOf(string secretName) => $"{MountRoot}/{secretName}";
}
