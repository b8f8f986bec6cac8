using System.Globalization;
using Greengrass.Nucleus.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Tests.TestSupport;

/// <summary>
/// Entry point of the test assembly when run with <c>dotnet Greengrass.Nucleus.Tests.dll &lt;mode&gt; &lt;path&gt;</c>:
/// writes to a store in a loop and prints "ack N" after each write returned, until the test kills it with SIGKILL.
/// The test runner itself never calls it.
/// </summary>
internal static class CrashHelperProgram
{
    public const string ConfigWriter = "crash-helper-config-writer";
    public const string StateWriter = "crash-helper-state-writer";
    public const string ShadowWriter = "crash-helper-shadow-writer";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync($"usage: {ConfigWriter}|{StateWriter}|{ShadowWriter} <path>");
            return 2;
        }

        switch (args[0])
        {
            case ConfigWriter:
                await WriteConfigForeverAsync(args[1]);
                return 0;
            case StateWriter:
                await WriteStateForeverAsync(args[1]);
                return 0;
            case ShadowWriter:
                await Shadows.ShadowKillNineTests.WriteShadowForeverAsync(args[1]);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown mode '{args[0]}'");
                return 2;
        }
    }

    private static async Task WriteConfigForeverAsync(string tlogPath)
    {
        await using var store = await ConfigStore.OpenAsync(tlogPath, NullLogger.Instance, CancellationToken.None, compactAfterEntries: 50);
        for (var i = 1; ; i++)
        {
            await store.MergeAsync(["services", "crash", "configuration", "counter"], i, i, CancellationToken.None);
            await store.MergeAsync(["services", "crash", "configuration", "k" + (i % 7).ToString(CultureInfo.InvariantCulture)], new string('v', i % 300), i, CancellationToken.None);
            Console.Out.WriteLine($"ack {i}");
            Console.Out.Flush();
        }
    }

    private static async Task WriteStateForeverAsync(string root)
    {
        var store = new ComponentStateStore(new NucleusPaths(root), NullLogger<ComponentStateStore>.Instance);
        for (var i = 1; ; i++)
        {
            var padding = new string('x', (i * 37) % 5000);
            await store.SaveAsync(new ComponentRuntimeState("com.example.Crash", $"1.0.{i}", padding, DateTimeOffset.UnixEpoch), CancellationToken.None);
            Console.Out.WriteLine($"ack {i}");
            Console.Out.Flush();
        }
    }
}
