using Greengrass.Api;
using Greengrass.Operator.Rollouts;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Tests.Rollouts;

/// <summary>
/// Drives the rollout planner the way the Deployment reconciler does: each step reads the Deployment, writes the new
/// record into its status, and devices report outcomes in between.
/// </summary>
internal sealed class RolloutRun
{
    public const string App = "com.example.App";

    public RolloutRun(DeploymentRollout? rollout, int devices = 6, string version = "1.0.0")
    {
        Deployment = new ApiDeployment
        {
            Metadata = new V1ObjectMeta { Name = "apps", NamespaceProperty = "fleet", Generation = 1, Uid = "uid-apps" },
            Spec = new DeploymentSpec
            {
                CoreDeviceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["fleet"] = "demo" } },
                Components = new Dictionary<string, DeploymentComponent> { [App] = new() { Version = version } },
                Rollout = rollout,
            },
        };

        // Deliberately not in name order: admission order must not depend on the order devices are listed in.
        Targeted = [.. Enumerable.Range(0, devices).Select(i => $"edge-{(char)('a' + i)}").Reverse()];
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public ApiDeployment Deployment { get; }

    public List<string> Targeted { get; }

    /// <summary>Outcomes devices reported for the current revision.</summary>
    public Dictionary<string, string> Reported { get; } = [];

    public DeploymentRolloutStatus Record => Deployment.Status!.Rollout!;

    public RolloutResult Step()
    {
        var result = RolloutPlanner.Advance(new RolloutInput(Deployment, Targeted, Reported, Time.GetUtcNow()));
        Deployment.Status ??= new DeploymentStatus();
        Deployment.Status.Rollout = result.Status;
        Deployment.Status.ObservedGeneration = Deployment.Metadata.Generation;
        return result;
    }

    public void Report(string outcome, params string[] devices)
    {
        foreach (var device in devices)
        {
            Reported[device] = outcome;
        }
    }

    /// <summary>A spec change: the next generation pins <paramref name="version"/>.</summary>
    public void NewRevision(string version, DeploymentRollout? rollout = null)
    {
        Deployment.Metadata.Generation++;
        Deployment.Spec.Components = new Dictionary<string, DeploymentComponent> { [App] = new() { Version = version } };
        Deployment.Spec.Rollout = rollout ?? Deployment.Spec.Rollout;
        Reported.Clear();
    }

    /// <summary>Names of the devices on the current revision that have no outcome yet.</summary>
    public IEnumerable<string> InProgress() =>
        Record.Devices!.Where(e => e.Revision == Deployment.Metadata.Generation && e.Outcome is null).Select(e => e.Name);

    /// <summary>The version of the App the named device would run, or null when the Deployment gives it nothing.</summary>
    public string? VersionOn(string device) =>
        RolloutView.RevisionFor(device, Deployment)?.Spec.Components?[App].Version;

    public static DeploymentRollout Limits(string maxConcurrent, int? timeoutSeconds = null, params AbortCriterion[] abort) => new()
    {
        MaxConcurrent = maxConcurrent,
        PerDeviceTimeoutSeconds = timeoutSeconds,
        AbortCriteria = abort.Length == 0 ? null : abort,
    };
}
