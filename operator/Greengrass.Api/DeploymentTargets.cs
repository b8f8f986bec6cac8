using k8s.Models;

namespace Greengrass.Api;

/// <summary>Describes a Deployment's target in one line, for <c>status.target</c> and messages.</summary>
public static class DeploymentTargets
{
    /// <summary>
    /// <c>coreDevice/NAME</c> for a named target, or the label selector in kubectl syntax (<c>a=b,c in (d,e)</c>);
    /// an empty selector, which selects every CoreDevice, is <c>all</c>.
    /// </summary>
    /// <param name="spec">The Deployment spec.</param>
    /// <returns>The description; empty when the spec names no target.</returns>
    public static string Describe(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.CoreDeviceName is { Length: > 0 } name)
        {
            return "coreDevice/" + name;
        }

        return spec.CoreDeviceSelector is { } selector ? DescribeSelector(selector) : "";
    }

    private static string DescribeSelector(V1LabelSelector selector)
    {
        var parts = new List<string>();
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parts.Add($"{key}={value}");
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", expression.Values ?? []);
            parts.Add(expression.OperatorProperty switch
            {
                "In" => $"{expression.Key} in ({values})",
                "NotIn" => $"{expression.Key} notin ({values})",
                "Exists" => expression.Key,
                "DoesNotExist" => "!" + expression.Key,
                _ => $"{expression.Key} {expression.OperatorProperty} ({values})",
            });
        }

        return parts.Count == 0 ? "all" : string.Join(",", parts);
    }
}
