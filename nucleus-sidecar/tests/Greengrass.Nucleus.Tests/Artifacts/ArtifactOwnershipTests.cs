using System.Text;
using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Supervision;
using Greengrass.Nucleus.Tests.Supervision;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Artifacts;

// Switching users needs a root nucleus: the build machines and CI run as root.
public sealed class ArtifactOwnershipTests
{
    [Fact]
    public async Task GiveTo_RunWithUser_ThatUserReadsOwnerOnlyArtifactFromItsStep()
    {
        Assert.True(PosixIdentity.Current().IsRoot, "this test needs a root nucleus (the build machines run as root)");
        await using var fx = new RunnerFixture();
        var source = fx.Root.Combine("source", "secret.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        await File.WriteAllTextAsync(source, "owner only");
        using var http = new HttpClient();
        var store = new ArtifactStore(new NucleusPaths(fx.Root.Path), http, TimeProvider.System, new ListLogger<ArtifactStore>());
        var prepared = await store.PrepareAsync("com.example.Owned", "1.0.0", [new ArtifactSpec(new Uri(source).ToString())], CancellationToken.None);
        var step = RunnerFixture.Step($"cat {prepared[0].FilePath} > copy.txt", component: "com.example.Owned") with { RunWith = new RunWith("nobody") };

        var before = await fx.RunAsync(step);
        store.GiveTo("com.example.Owned", "1.0.0", PosixIdentity.Resolve("nobody"));
        var after = await fx.RunAsync(step);

        Assert.False(before.Succeeded, "nobody cannot read a root-owned 0400 artifact");
        Assert.Contains(before.StderrTail, l => l.Contains("Permission denied"));
        Assert.True(after.Succeeded, after.Description);
        Assert.Equal("owner only", await File.ReadAllTextAsync(Path.Combine(fx.WorkDir("com.example.Owned"), "copy.txt"), Encoding.UTF8));
    }
}
