using System.Diagnostics;
using System.Text;

namespace Greengrass.EdgeCluster.Tests.Support;

/// <summary>Runs the real kubectl binary against a kubeconfig, with a private cache directory.</summary>
public sealed class Kubectl(string kubeconfig) : IDisposable
{
    public const string Binary = "/usr/bin/kubectl";
    private readonly string _home = Directory.CreateTempSubdirectory("kubectl-home-").FullName;

    public static bool Available => File.Exists(Binary);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result Ok()
        {
            Assert.True(ExitCode == 0, $"kubectl failed ({ExitCode}): {Stderr}\n{Stdout}");
            return this;
        }
    }

    public async Task<Result> RunAsync(string arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Start(arguments, stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running kubectl (e.g. <c>get --watch</c>); the caller reads and kills it.</summary>
    public Process Start(string arguments, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in SplitArgs($"--kubeconfig {kubeconfig} --cache-dir {_home}/cache {arguments}"))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = _home;
        info.Environment.Remove("KUBECONFIG");
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    /// <summary>Splits on spaces, keeping single-quoted parts together (for JSON patches and jsonpath).</summary>
    private static List<string> SplitArgs(string text)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    args.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            args.Add(current.ToString());
        }
        return args;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>A fact that drives the real kubectl; skipped, saying so, where /usr/bin/kubectl is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!Kubectl.Available)
        {
            Skip = $"kubectl is not installed at {Kubectl.Binary}";
        }
    }
}
