using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Secrets;

/// <summary>
/// The <c>cloudSecrets</c> configuration of <c>aws.greengrass.SecretManager</c>: <c>[{"arn": …, "labels": […]}]</c>,
/// as a list or as the JSON text of one (older recipes). Member names are matched ignoring case, as Greengrass does.
/// Labels need no handling here: a mapped Secret holds one version and all its stages are served.
/// </summary>
internal static class CloudSecrets
{
    public const string Key = "cloudSecrets";

    /// <summary>The configured ARNs, and what was skipped (an entry without a valid ARN, a value that is no list).</summary>
    public static (IReadOnlyList<string> Arns, IReadOnlyList<string> Problems) Parse(JsonNode? value)
    {
        var problems = new List<string>();
        if (value is JsonValue text && text.TryGetValue<string>(out var json))
        {
            try
            {
                value = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                problems.Add($"{Key} is a string that is not a JSON list");
                return ([], problems);
            }
        }

        if (value is null)
        {
            return ([], problems);
        }

        if (value is not JsonArray list)
        {
            problems.Add($"{Key} must be a list of {{arn, labels}}, not {value.GetValueKind()}");
            return ([], problems);
        }

        var arns = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var arn = (list[i] as JsonObject)?.FirstOrDefault(p => string.Equals(p.Key, "arn", StringComparison.OrdinalIgnoreCase)).Value;
            if (arn is JsonValue v && v.TryGetValue<string>(out var s) && SecretArns.IsArn(s))
            {
                arns.Add(s);
            }
            else
            {
                problems.Add($"{Key}[{i}].arn is not a Secrets Manager secret ARN; entry skipped");
            }
        }

        return (arns, problems);
    }
}
