using System.Globalization;

namespace Greengrass.Nucleus.MqttLoad;

/// <summary>One measured run of one broker at one QoS in one round.</summary>
internal sealed record RoundResult(int Round, LoadResult Result);

/// <summary>
/// Prints medians over the rounds, and ratios to Mosquitto taken per round (both brokers measured back to back
/// under the same load) before the median, so a burst of load from elsewhere skews one round, not the ratio.
/// </summary>
internal static class Report
{
    public const string Baseline = "mosquitto";

    public static void Print(IReadOnlyList<RoundResult> results, int connections, int messages, int rounds)
    {
        Console.WriteLine(
            $"{connections} TLS connections x {messages} messages of 256 bytes, each connection publishing to and subscribed to its own topic; " +
            $"{rounds} rounds, order alternated; medians over rounds, ratios = median of per-round ratios; {Environment.ProcessorCount} cores");
        Console.WriteLine("| broker | QoS | msgs/s | p50 ms | p99 ms | broker CPU µs/msg | load generator CPU µs/msg | machine busy | throughput vs Mosquitto | p99 vs Mosquitto | CPU/msg vs Mosquitto |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => (r.Result.Broker, r.Result.Qos)).OrderBy(g => g.Key.Qos).ThenBy(g => g.Key.Broker != Baseline))
        {
            var runs = group.Select(r => r.Result).ToList();
            var ratios = group.Select(r => Ratios(results, r)).ToList();
            var measured = Invariant($"| {group.Key.Broker} | {group.Key.Qos} | {Median(runs, r => r.MessagesPerSecond):F0} | {Median(runs, r => r.P50Ms):F2} | {Median(runs, r => r.P99Ms):F2} |");
            var cost = Invariant(
                $" {Median(runs, r => r.BrokerCpuMicrosPerMessage):F1} | {Median(runs, r => r.GeneratorCpuMicrosPerMessage):F1} | {Median(runs, r => r.MachineBusy):P0} |");
            var relative = Invariant($" {Median(ratios, r => r.Throughput):F2}x | {Median(ratios, r => r.P99):F2}x | {Median(ratios, r => r.Cpu):F2}x |");
            Console.WriteLine(measured + cost + relative);
        }

        Console.WriteLine();
        Console.WriteLine("Per-round ratios to Mosquitto (throughput / p99):");
        foreach (var group in results.Where(r => r.Result.Broker != Baseline).GroupBy(r => (r.Result.Broker, r.Result.Qos)).OrderBy(g => g.Key.Qos))
        {
            var rounds2 = string.Join("  ", group.Select(r => Ratios(results, r)).Select(r => Invariant($"{r.Throughput:F2}x/{r.P99:F2}x")));
            Console.WriteLine($"  {group.Key.Broker}, QoS {group.Key.Qos}: {rounds2}");
        }
    }

    private static (double Throughput, double P99, double Cpu) Ratios(IReadOnlyList<RoundResult> results, RoundResult run)
    {
        var baseline = results.First(b => b.Round == run.Round && b.Result.Broker == Baseline && b.Result.Qos == run.Result.Qos).Result;
        return (run.Result.MessagesPerSecond / baseline.MessagesPerSecond, run.Result.P99Ms / baseline.P99Ms,
            run.Result.BrokerCpuMicrosPerMessage / baseline.BrokerCpuMicrosPerMessage);
    }

    public static double Median<T>(IEnumerable<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
