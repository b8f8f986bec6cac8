using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Deployment;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Storage;

/// <summary>The on-disk form of a <see cref="RestartRecord"/>: plans as contract JSON, the stage by name.</summary>
internal sealed record RestartState(
    string Stage,
    string Plan,
    string? Previous,
    IReadOnlyList<string> Remaining,
    IReadOnlyList<string> Started,
    int ActivationStarts,
    RestartFailure? Failure,
    IReadOnlyList<string> Reasons);

/// <summary>How many times the nucleus exited to be restarted for a deployment, over the life of the root.</summary>
internal sealed record RestartCount(long Restarts);

/// <summary>
/// Keeps the deployment that restarts the nucleus in <c>state/restart.json</c>, written atomically after every
/// step (stage change, each Bootstrap task, each activation start), so a kill at any point resumes where it was.
/// </summary>
internal sealed class RestartStateStore(NucleusPaths paths, ILogger logger)
{
    private string RecordPath => Path.Combine(paths.StateDirectory, "restart.json");

    private string CountPath => Path.Combine(paths.StateDirectory, "nucleus-restarts.json");

    public Task SaveAsync(RestartRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonStateFile.WriteAsync(RecordPath, ToState(record), ct);
    }

    /// <summary>The record, or null when there is none or it cannot be read (then the applied plan simply resumes).</summary>
    public async Task<RestartRecord?> LoadAsync(CancellationToken ct)
    {
        var state = await JsonStateFile.ReadAsync<RestartState>(RecordPath, logger, ct);
        if (state is null)
        {
            return null;
        }

        try
        {
            return FromState(state);
        }
        catch (Exception ex) when (ex is ContractFormatException or ArgumentException)
        {
            StorageLog.UnreadableStateFile(logger, RecordPath, ex.Message);
            return null;
        }
    }

    public async Task<long> LoadCountAsync(CancellationToken ct) =>
        (await JsonStateFile.ReadAsync<RestartCount>(CountPath, logger, ct))?.Restarts ?? 0;

    public Task SaveCountAsync(long restarts, CancellationToken ct) => JsonStateFile.WriteAsync(CountPath, new RestartCount(restarts), ct);

    private static RestartState ToState(RestartRecord record) => new(
        record.Stage.ToString(),
        ContractJson.SerializePlan(record.Plan),
        record.Previous is { } previous ? ContractJson.SerializePlan(previous) : null,
        record.Remaining,
        record.Started,
        record.ActivationStarts,
        record.Failure,
        record.Reasons);

    private static RestartRecord FromState(RestartState state) => new()
    {
        Stage = Enum.Parse<RestartStage>(state.Stage, ignoreCase: false),
        Plan = ContractJson.DeserializePlan(state.Plan),
        Previous = state.Previous is { } previous ? ContractJson.DeserializePlan(previous) : null,
        Remaining = state.Remaining ?? [],
        Started = state.Started ?? [],
        ActivationStarts = state.ActivationStarts,
        Failure = state.Failure,
        Reasons = state.Reasons ?? [],
    };
}
