using System.Diagnostics;
using System.Text;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>The MQTT part of the nucleus as a child process (Greengrass.Nucleus.MqttTestHost) that a test can kill -9.</summary>
internal sealed class NucleusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NucleusProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; private set; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<NucleusProcess> StartAsync(string settingsPath)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory.Replace("Greengrass.Nucleus.Tests", "Greengrass.Nucleus.MqttTestHost", StringComparison.Ordinal),
            "Greengrass.Nucleus.MqttTestHost.dll");
        Assert.True(File.Exists(hostDll), "test host not built: " + hostDll);
        var nucleus = new NucleusProcess(Proc.Start("dotnet", [hostDll, settingsPath]));
        var exited = nucleus._process.WaitForExitAsync();
        var first = await Task.WhenAny(nucleus._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != nucleus._ready.Task)
        {
            await nucleus.DisposeAsync();
            throw new InvalidOperationException("nucleus test host did not become ready: " + nucleus.Log);
        }

        nucleus.Port = await nucleus._ready.Task;
        return nucleus;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (line.StartsWith("READY ", StringComparison.Ordinal))
        {
            _ready.TrySetResult(int.Parse(line[6..]));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
