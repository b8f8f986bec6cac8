using System.Text.Json;

namespace Greengrass.Nucleus.Secrets;

/// <summary>A secret ARN and the folder where the Kubernetes Secret holding its value is mounted.</summary>
internal sealed record MappedSecret(string Arn, string Directory);

/// <summary>The CoreDevice's <c>spec.secrets</c> as the operator hands it to the nucleus pod: GG_SECRETS, JSON.</summary>
internal static class SecretMappings
{
    public const string Env = "GG_SECRETS";

    /// <summary>Reads GG_SECRETS (<c>[{"arn": …, "path": …}]</c>); empty when unset.</summary>
    /// <exception cref="FormatException">The value is not such a list, an ARN is invalid or repeated; the message names the entry.</exception>
    public static IReadOnlyList<MappedSecret> FromEnvironment(Func<string, string?> env) =>
        env(Env) is { Length: > 0 } json ? Parse(json) : [];

    public static IReadOnlyList<MappedSecret> Parse(string json)
    {
        List<Entry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<Entry>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{Env} is not a JSON list of {{\"arn\", \"path\"}}: {ex.Message}", ex);
        }

        var result = new List<MappedSecret>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var entry = entries![i];
            if (entry?.Arn is not { } arn || !SecretArns.IsArn(arn))
            {
                throw new FormatException($"{Env}[{i}].arn is not a Secrets Manager secret ARN: '{entry?.Arn}'");
            }

            if (string.IsNullOrEmpty(entry.Path))
            {
                throw new FormatException($"{Env}[{i}].path is required");
            }

            if (!seen.Add(arn))
            {
                throw new FormatException($"{Env}[{i}].arn repeats {arn}");
            }

            result.Add(new MappedSecret(arn, entry.Path));
        }

        return result;
    }

    private sealed class Entry
    {
        public string? Arn { get; set; }

        public string? Path { get; set; }
    }
}
