using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Storage;

public sealed class PlanAndStateStoreTests
{
    private sealed record SamplePlan(string Revision, string[] Components);

    [Fact]
    public async Task SaveAppliedAsync_TwoRevisions_CurrentAndPreviousSurviveRestart()
    {
        using var dir = new TempDirectory();
        var paths = new NucleusPaths(dir.Path);
        paths.EnsureCreated();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var store = new PlanStore(paths, time, new ListLogger<PlanStore>());
        await store.SaveAppliedAsync("r1", new SamplePlan("r1", ["a"]), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await store.SaveAppliedAsync("r2", new SamplePlan("r2", ["a", "b"]), CancellationToken.None);

        var reopened = new PlanStore(new NucleusPaths(dir.Path), time, new ListLogger<PlanStore>());
        var current = await reopened.LoadCurrentAsync(CancellationToken.None);
        var previous = await reopened.LoadPreviousAsync(CancellationToken.None);

        Assert.Equal("r2", current!.Revision);
        Assert.Equal(["a", "b"], current.ReadPlan<SamplePlan>().Components);
        Assert.Equal(time.GetUtcNow(), current.AppliedAt);
        Assert.Equal("r1", previous!.Revision);
        Assert.Equal(["a"], previous.ReadPlan<SamplePlan>().Components);
    }

    [Fact]
    public async Task LoadCurrentAsync_NothingApplied_ReturnsNull()
    {
        using var dir = new TempDirectory();
        var store = new PlanStore(new NucleusPaths(dir.Path), TimeProvider.System, new ListLogger<PlanStore>());

        Assert.Null(await store.LoadCurrentAsync(CancellationToken.None));
        Assert.Null(await store.LoadPreviousAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ComponentState_SavedThenReloaded_InstallNotNeededForSameVersionAndRecipe()
    {
        using var dir = new TempDirectory();
        var hash = ComponentStateStore.ComputeRecipeHash("RecipeFormatVersion: 2020-01-25\nComponentName: a\n");
        var store = new ComponentStateStore(new NucleusPaths(dir.Path), new ListLogger<ComponentStateStore>());
        await store.SaveAsync(new ComponentRuntimeState("com.example.A", "1.0.0", hash, DateTimeOffset.UnixEpoch), CancellationToken.None);

        var reopened = new ComponentStateStore(new NucleusPaths(dir.Path), new ListLogger<ComponentStateStore>());
        var all = await reopened.LoadAllAsync(CancellationToken.None);

        Assert.Equal("1.0.0", Assert.Single(all).InstalledVersion);
        Assert.False(await reopened.NeedsInstallAsync("com.example.A", "1.0.0", hash, CancellationToken.None));
        Assert.True(await reopened.NeedsInstallAsync("com.example.A", "1.0.1", hash, CancellationToken.None));
        Assert.True(await reopened.NeedsInstallAsync("com.example.A", "1.0.0", ComponentStateStore.ComputeRecipeHash("changed"), CancellationToken.None));
        Assert.True(await reopened.NeedsInstallAsync("com.example.B", "1.0.0", hash, CancellationToken.None));
    }

    [Fact]
    public async Task LoadAllAsync_TemporaryAndCorruptFiles_IgnoredAndReported()
    {
        using var dir = new TempDirectory();
        var paths = new NucleusPaths(dir.Path);
        var logger = new ListLogger<ComponentStateStore>();
        var store = new ComponentStateStore(paths, logger);
        await store.SaveAsync(new ComponentRuntimeState("good", "1.0.0", "h", DateTimeOffset.UnixEpoch), CancellationToken.None);
        var folder = Path.Combine(paths.StateDirectory, "components");
        await File.WriteAllTextAsync(Path.Combine(folder, $".good.json.{Guid.NewGuid():N}.tmp"), "{\"componentName\":\"go");
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.json"), "{ not json");

        var all = await store.LoadAllAsync(CancellationToken.None);

        Assert.Equal("good", Assert.Single(all).ComponentName);
        Assert.Contains(logger.Entries, e => e.Message.Contains("broken.json"));
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveAsync_InstalledComponent_NeedsInstallAgain()
    {
        using var dir = new TempDirectory();
        var store = new ComponentStateStore(new NucleusPaths(dir.Path), new ListLogger<ComponentStateStore>());
        await store.SaveAsync(new ComponentRuntimeState("c", "1.0.0", "h", DateTimeOffset.UnixEpoch), CancellationToken.None);

        await store.RemoveAsync("c", CancellationToken.None);

        Assert.True(await store.NeedsInstallAsync("c", "1.0.0", "h", CancellationToken.None));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public void SafeSegment_NameThatEscapesFolder_Refused(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => NucleusPaths.SafeSegment(name));

        Assert.Contains($"'{name}'", ex.Message);
    }
}
