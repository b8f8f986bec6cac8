using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Storage;

/// <summary>One device plan as it was applied: its revision, when, and the plan document itself.</summary>
internal sealed record AppliedPlan(string Revision, DateTimeOffset AppliedAt, JsonElement Plan)
{
    public T ReadPlan<T>() => Plan.Deserialize<T>(JsonStateFile.Options)
        ?? throw new InvalidDataException($"Applied plan revision {Revision} is empty.");
}

/// <summary>
/// Keeps the applied device plan and the one before it (for rollback), so a restarted nucleus keeps running
/// the last applied plan while the Kubernetes API is unreachable.
/// </summary>
internal sealed class PlanStore(NucleusPaths paths, TimeProvider time, ILogger<PlanStore> logger)
{
    private string CurrentPath => Path.Combine(paths.StateDirectory, "plan.current.json");

    private string PreviousPath => Path.Combine(paths.StateDirectory, "plan.previous.json");

    /// <summary>Records <paramref name="plan"/> as applied; the plan applied so far becomes the previous one.</summary>
    public async Task<AppliedPlan> SaveAppliedAsync<T>(string revision, T plan, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revision);
        var applied = new AppliedPlan(revision, time.GetUtcNow(), JsonSerializer.SerializeToElement(plan, JsonStateFile.Options));
        var current = await LoadCurrentAsync(ct);

        // Previous first: a crash between the two writes leaves previous == current, never a lost plan.
        if (current is not null && current.Revision != revision)
        {
            await JsonStateFile.WriteAsync(PreviousPath, current, ct);
        }

        await JsonStateFile.WriteAsync(CurrentPath, applied, ct);
        return applied;
    }

    public Task<AppliedPlan?> LoadCurrentAsync(CancellationToken ct) =>
        JsonStateFile.ReadAsync<AppliedPlan>(CurrentPath, logger, ct);

    public Task<AppliedPlan?> LoadPreviousAsync(CancellationToken ct) =>
        JsonStateFile.ReadAsync<AppliedPlan>(PreviousPath, logger, ct);
}
