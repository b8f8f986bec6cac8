using Greengrass.Nucleus.Logging;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Logging;

public sealed class ComponentLogTests
{
    private static readonly Dictionary<string, string> Context = new() { ["scriptName"] = "services.c.lifecycle.Run" };

    [Fact]
    public void Format_Line_MatchesGreengrassTextLayout()
    {
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

        var line = ComponentLog.Format(at, "INFO", "Copier", "com.example.Hello", "stdout", "Hello world", Context);

        Assert.Equal("2026 Mar 04 05:06:07,890+0000 [INFO] (Copier) com.example.Hello: stdout. Hello world. {scriptName=services.c.lifecycle.Run}\n", line);
    }

    [Fact]
    public void Write_PastMaxSize_RotatesAndKeepsOnlyConfiguredFileCount()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("logs", "c.log");
        using var log = new ComponentLog(path, maxBytes: 1000, keepFiles: 3, new FakeTimeProvider());

        for (var i = 0; i < 200; i++)
        {
            log.Write("INFO", "Copier", "c", "stdout", $"line {i:D4} " + new string('x', 40), Context);
        }

        log.Dispose();
        var files = Directory.GetFiles(dir.Combine("logs")).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["c.log", "c.log.1", "c.log.2", "c.log.3"], files);
        Assert.All(files, f => Assert.True(new FileInfo(dir.Combine("logs", f)).Length <= 1000, $"{f} is within the size limit"));
        Assert.Contains("line 0199", File.ReadAllText(path));
        Assert.True(LineNumber(File.ReadAllLines(path + ".3")[^1]) < LineNumber(File.ReadAllLines(path + ".2")[0]), ".3 is older than .2");
        Assert.True(LineNumber(File.ReadAllLines(path + ".1")[^1]) + 1 == LineNumber(File.ReadAllLines(path)[0]), ".1 ends where the live file starts");
        Assert.DoesNotContain("line 0000 ", File.ReadAllText(path + ".3"));
    }

    private static int LineNumber(string line)
    {
        var at = line.IndexOf("line ", StringComparison.Ordinal) + 5;
        return int.Parse(line.AsSpan(at, 4));
    }
}
