using System.Diagnostics;

namespace Greengrass.Nucleus.Tests.TestSupport;

/// <summary>Checks a Prometheus exposition with the real <c>promtool check metrics</c> (Debian package prometheus).</summary>
internal static class Promtool
{
    public static async Task AssertCleanAsync(string text)
    {
        var promtool = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);
        Assert.True(promtool is not null, "promtool is not installed: run `make test-deps` (Debian package prometheus)");
        using var process = Process.Start(new ProcessStartInfo(promtool!, "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics:\n{output}");
    }
}
