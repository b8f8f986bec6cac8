using System.Runtime.InteropServices;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Mqtt;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// <c>greengrass-nucleus run --root DIR --thing-name NAME [--plan FILE] [--mqtt-config FILE] [--region R] [--log-level L]</c>: the nucleus
/// without Kubernetes. SIGTERM or Ctrl-C stops the components in reverse dependency order and exits 0. A deployment that
/// restarts the nucleus exits 100 once its Bootstrap steps ran; <c>--supervise</c> runs the nucleus under a small
/// supervisor that starts it again (<see cref="StandaloneSupervisor"/>).
/// </summary>
internal static class StandaloneCommand
{
    public const string Usage = "usage: greengrass-nucleus run --root DIR --thing-name NAME [--plan FILE] [--mqtt-config FILE] [--region REGION] [--default-user USER[:GROUP]] [--log-level LEVEL] [--supervise]";

    private const string SuperviseFlag = "--supervise";

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        if (args.Contains(SuperviseFlag))
        {
            var rest = args.Where(a => a != SuperviseFlag).ToArray();
            return ParseOptions(rest) is null ? await UsageAsync(error) : await StandaloneSupervisor.RunAsync(rest, error);
        }

        var options = ParseOptions(args);
        if (options is null || !options.TryGetValue("--root", out var root) || !options.TryGetValue("--thing-name", out var thingName))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        DevicePlan? plan = null;
        if (options.TryGetValue("--plan", out var planFile))
        {
            try
            {
                plan = ContractJson.DeserializePlan(await File.ReadAllTextAsync(planFile));
            }
            catch (Exception ex) when (ex is ContractFormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"--plan {planFile}: {ex.Message}");
                return 2;
            }
        }

        MqttSettings? mqtt = null;
        if (options.TryGetValue("--mqtt-config", out var mqttFile))
        {
            try
            {
                mqtt = RuntimeMqtt.ParseSettings(await File.ReadAllTextAsync(mqttFile));
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"--mqtt-config {mqttFile}: {ex.Message}");
                return 2;
            }
        }

        var level = Enum.TryParse<LogLevel>(options.GetValueOrDefault("--log-level", "Information"), true, out var parsed) ? parsed : LogLevel.Information;
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(level));
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stopRequested.TrySetResult();
        }

        Aws.AwsSettings? aws;
        IReadOnlyList<Secrets.MappedSecret> secrets;
        try
        {
            // The same variables as in a pod, so s3:// artifacts, the token exchange service and GetSecretValue work outside Kubernetes too.
            aws = Aws.AwsSettings.FromEnvironment(Environment.GetEnvironmentVariable, thingName, loggers);
            secrets = Secrets.SecretMappings.FromEnvironment(Environment.GetEnvironmentVariable);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        await using var runtime = new NucleusRuntime(new NucleusRuntimeOptions
        {
            Root = root,
            ThingName = thingName,
            Region = options.GetValueOrDefault("--region", aws?.Region ?? ""),
            Aws = aws,
            Secrets = secrets,
            DefaultPosixUser = options.GetValueOrDefault("--default-user"),
            LoggerFactory = loggers,
            Mqtt = mqtt,
        });
        await runtime.StartAsync(CancellationToken.None);
        if (plan is not null && plan.Revision != runtime.AppliedPlan?.Revision)
        {
            await runtime.ApplyAsync(plan, CancellationToken.None);
        }

        // A deployment that restarts the nucleus ends this process with 100; a supervisor starts it again (§5.2).
        await Task.WhenAny(stopRequested.Task, runtime.ExitRequested);
        await runtime.StopAsync(CancellationToken.None);
        return stopRequested.Task.IsCompleted || !runtime.ExitRequested.IsCompleted ? 0 : await runtime.ExitRequested;
    }

    private static async Task<int> UsageAsync(TextWriter error)
    {
        await error.WriteLineAsync(Usage);
        return 2;
    }

    private static Dictionary<string, string>? ParseOptions(string[] args)
    {
        if (args.Length % 2 != 0)
        {
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        return options;
    }
}
