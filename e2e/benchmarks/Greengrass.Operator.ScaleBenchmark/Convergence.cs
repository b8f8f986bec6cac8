using System.Diagnostics;
using Greengrass.Api;
using Greengrass.Nucleus.Contracts;
using k8s;

namespace Greengrass.Operator.ScaleBenchmark;

/// <summary>Times, from the operator's start, until every device has its full plan and every nucleus pod is bound and running.</summary>
internal static class Convergence
{
    public sealed record Result(TimeSpan? PlansWritten, TimeSpan? PodsBound)
    {
        public TimeSpan? All => PlansWritten is { } p && PodsBound is { } b ? (p > b ? p : b) : null;
    }

    public static async Task<Result> WaitAsync(ApiWriter api, ScaleOptions options, long started)
    {
        var owned = $"{Labels.ManagedBy}={Labels.ManagedByValue}";
        TimeSpan? plans = null;
        TimeSpan? pods = null;
        while (Stopwatch.GetElapsedTime(started) < options.Timeout && (plans is null || pods is null))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (plans is null)
            {
                var maps = await api.Client.CoreV1.ListNamespacedConfigMapAsync(ScaleFleet.Namespace, labelSelector: owned);
                var complete = maps.Items.Count(m => m.Data?.TryGetValue("plan.json", out var json) == true
                    && ContractJson.DeserializePlan(json).Components.Count == options.Deployed);
                plans = complete == options.Devices ? Stopwatch.GetElapsedTime(started) : null;
                Progress("plans", complete, options.Devices, started);
            }

            if (pods is null)
            {
                var list = await api.Client.CoreV1.ListNamespacedPodAsync(ScaleFleet.Namespace, labelSelector: owned);
                var bound = list.Items.Count(p => !string.IsNullOrEmpty(p.Spec.NodeName) && p.Status?.Phase == "Running");
                pods = bound == options.Devices ? Stopwatch.GetElapsedTime(started) : null;
                Progress("pods bound and running", bound, options.Devices, started);
            }
        }

        return new Result(plans, pods);
    }

    private static void Progress(string what, int done, int of, long started) =>
        Console.WriteLine($"  {Stopwatch.GetElapsedTime(started).TotalSeconds,6:F1} s  {what}: {done}/{of}");
}
