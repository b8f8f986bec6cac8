using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Storage;

public sealed class AtomicFileTests
{
    [Fact]
    public async Task WriteAllTextAsync_ExistingFile_ReplacedWholeWithoutTemporariesLeft()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("state", "doc.json");
        await AtomicFile.WriteAllTextAsync(path, "old content that is longer", CancellationToken.None);

        await AtomicFile.WriteAllTextAsync(path, "new", CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(["doc.json"], Directory.GetFiles(dir.Combine("state")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DeleteLeftoverTemporaries_CrashMidWrite_RemovesTemporaryAndKeepsLastCompleteFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("doc.json");
        await AtomicFile.WriteAllTextAsync(path, "{\"complete\":true}", CancellationToken.None);

        // What a crash between "write temp" and "rename" leaves behind.
        await File.WriteAllTextAsync(dir.Combine($".doc.json.{Guid.NewGuid():N}{AtomicFile.TempSuffix}"), "{\"torn");
        var removed = AtomicFile.DeleteLeftoverTemporaries(dir.Path);

        Assert.Equal(1, removed);
        Assert.Equal("{\"complete\":true}", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
