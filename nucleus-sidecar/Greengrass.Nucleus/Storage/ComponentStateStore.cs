using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Storage;

/// <summary>What the nucleus remembers of one installed component across restarts.</summary>
internal sealed record ComponentRuntimeState(
    string ComponentName,
    string InstalledVersion,
    string RecipeHash,
    DateTimeOffset InstalledAt);

/// <summary>
/// Per-component runtime state, one atomically written file per component under <c>state/components/</c>,
/// so that a restarted nucleus knows which Install steps already succeeded for which recipe.
/// </summary>
internal sealed class ComponentStateStore(NucleusPaths paths, ILogger<ComponentStateStore> logger)
{
    private string Directory => Path.Combine(paths.StateDirectory, "components");

    /// <summary>The hash that identifies a recipe's content: lowercase hex SHA-256 of its text.</summary>
    public static string ComputeRecipeHash(string recipeText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipeText)));

    public Task SaveAsync(ComponentRuntimeState state, CancellationToken ct) =>
        JsonStateFile.WriteAsync(FileOf(state.ComponentName), state, ct);

    public Task<ComponentRuntimeState?> GetAsync(string componentName, CancellationToken ct) =>
        JsonStateFile.ReadAsync<ComponentRuntimeState>(FileOf(componentName), logger, ct);

    /// <summary>True when the component is not recorded as installed with this version and recipe.</summary>
    public async Task<bool> NeedsInstallAsync(string componentName, string version, string recipeHash, CancellationToken ct)
    {
        var state = await GetAsync(componentName, ct);
        return state is null || state.InstalledVersion != version || state.RecipeHash != recipeHash;
    }

    public Task RemoveAsync(string componentName, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        File.Delete(FileOf(componentName));
        AtomicFile.SyncDirectory(Directory);
        return Task.CompletedTask;
    }

    /// <summary>Loads every recorded component; temporaries of an interrupted write are removed first.</summary>
    public async Task<IReadOnlyList<ComponentRuntimeState>> LoadAllAsync(CancellationToken ct)
    {
        var removed = AtomicFile.DeleteLeftoverTemporaries(Directory);
        if (removed > 0)
        {
            StorageLog.LeftoverTemporariesRemoved(logger, removed, Directory);
        }

        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var states = new List<ComponentRuntimeState>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (await JsonStateFile.ReadAsync<ComponentRuntimeState>(file, logger, ct) is { } state)
            {
                states.Add(state);
            }
        }

        return states;
    }

    private string FileOf(string componentName) =>
        Path.Combine(Directory, NucleusPaths.SafeSegment(componentName) + ".json");
}
