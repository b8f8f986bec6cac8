using System.Globalization;

namespace Greengrass.Operator.ScaleBenchmark;

/// <summary>Quantiles from a Prometheus text exposition, computed as PromQL's histogram_quantile does (linear within a bucket).</summary>
internal static class Histograms
{
    public static double Quantile(string exposition, string name, double q, string? labelFilter = null)
    {
        var buckets = Buckets(exposition, name, labelFilter);
        if (buckets.Count == 0 || buckets[^1].Count == 0)
        {
            return double.NaN;
        }

        var rank = q * buckets[^1].Count;
        var (lowerBound, lowerCount) = (0.0, 0.0);
        foreach (var (bound, count) in buckets)
        {
            if (count >= rank)
            {
                return double.IsPositiveInfinity(bound) ? lowerBound : lowerBound + ((bound - lowerBound) * (rank - lowerCount) / Math.Max(count - lowerCount, 1e-9));
            }

            (lowerBound, lowerCount) = (bound, count);
        }

        return lowerBound;
    }

    public static double Count(string exposition, string name) =>
        Buckets(exposition, name, null) is { Count: > 0 } b ? b[^1].Count : 0;

    /// <summary>Cumulative buckets by upper bound, summed over every series that matches <paramref name="labelFilter"/>.</summary>
    private static List<(double Bound, double Count)> Buckets(string exposition, string name, string? labelFilter) =>
        [.. exposition.Split('\n')
            .Where(l => l.StartsWith(name + "_bucket{", StringComparison.Ordinal) && (labelFilter is null || l.Contains(labelFilter, StringComparison.Ordinal)))
            .Select(l =>
            {
                var le = l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                le = le[..le.IndexOf('"', StringComparison.Ordinal)];
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                return (bound, double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            })
            .GroupBy(b => b.bound)
            .Select(g => (g.Key, g.Sum(b => b.Item2)))
            .OrderBy(b => b.Key)];
}
