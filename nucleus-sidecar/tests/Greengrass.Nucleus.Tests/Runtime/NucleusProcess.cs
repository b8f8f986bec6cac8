using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>The nucleus executable (<c>greengrass-nucleus run …</c>) as a child process, queried over its CLI socket.</summary>
internal sealed class NucleusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NucleusProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _output);

    public static NucleusProcess Start(string root, params string[] extra) => Start(root, new Dictionary<string, string>(), extra);

    /// <summary>Starts the nucleus with <paramref name="environment"/> added to this process's environment.</summary>
    public static NucleusProcess Start(string root, IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "greengrass-nucleus"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        foreach (var arg in (string[])["run", "--root", root, "--thing-name", "crash-device", .. extra])
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var nucleus = new NucleusProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return nucleus;
    }

    /// <summary>Sends one CLI request; null while the nucleus is not listening yet.</summary>
    public static async Task<JsonObject?> TryCliAsync(string root, JsonObject request)
    {
        try
        {
            return await CliCommand.SendAsync(Path.Combine(root, "cli.socket"), request, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return null;
        }
    }

    public async Task WaitUntilRunningAsync(string root, string component)
    {
        var running = false;
        while (!running)
        {
            Assert.False(_process.HasExited, $"the nucleus exited early: {Output}");
            var reply = await TryCliAsync(root, new JsonObject { ["command"] = "component.details", ["name"] = component });
            running = reply?["result"]?["state"]?.GetValue<string>() == "RUNNING";
            if (!running)
            {
                await Task.Delay(100);
            }
        }
    }

    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(int seconds = 60)
    {
        var exited = await Eventually.WithinAsync(_process.WaitForExitAsync().ContinueWith(_ => true, TaskScheduler.Default), "the nucleus to exit", TimeSpan.FromSeconds(seconds));
        Assert.True(exited);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
