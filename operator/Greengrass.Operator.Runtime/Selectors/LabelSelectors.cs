using k8s.Models;

namespace Greengrass.Operator.Runtime.Selectors;

/// <summary>Evaluates a <see cref="V1LabelSelector"/> the way the API server does (matchLabels AND every matchExpression).</summary>
public static class LabelSelectors
{
    /// <summary>
    /// True when <paramref name="labels"/> satisfy <paramref name="selector"/>. A null selector matches
    /// nothing and an empty one matches everything, as for Deployments and Services.
    /// </summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            if (!Matches(requirement, labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Renders the selector in the query syntax of <c>labelSelector=</c>.</summary>
    public static string ToQuery(V1LabelSelector selector)
    {
        var parts = new List<string>();
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parts.Add($"{key}={value}");
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", requirement.Values ?? []);
            parts.Add(requirement.OperatorProperty switch
            {
                "In" => $"{requirement.Key} in ({values})",
                "NotIn" => $"{requirement.Key} notin ({values})",
                "Exists" => requirement.Key,
                "DoesNotExist" => $"!{requirement.Key}",
                _ => throw new ArgumentException($"unknown label selector operator \"{requirement.OperatorProperty}\""),
            });
        }

        return string.Join(",", parts);
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        return requirement.OperatorProperty switch
        {
            "In" => present && (requirement.Values ?? []).Contains(value!),
            "NotIn" => !present || !(requirement.Values ?? []).Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            // An operator we do not know selects nothing rather than everything.
            _ => false,
        };
    }
}
