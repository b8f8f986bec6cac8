using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Cli;

/// <summary>Serves the local CLI (<see cref="CliProtocol"/>) for one runtime; the socket is owner-only.</summary>
internal sealed class CliServer(NucleusRuntime runtime, string socketPath) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task? _accepting;

    public void Start()
    {
        // A Unix socket path has at most 107 bytes; say so instead of failing deep in Bind.
        if (System.Text.Encoding.UTF8.GetByteCount(socketPath) > 107)
        {
            throw new InvalidOperationException(
                $"the local CLI socket path is {System.Text.Encoding.UTF8.GetByteCount(socketPath)} bytes, more than a Unix socket allows (107): {socketPath}; use a shorter root");
        }

        File.Delete(socketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _listener.Listen(16);
        _accepting = AcceptAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Dispose();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        File.Delete(socketPath);
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        var clients = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await _listener!.AcceptAsync(ct);
                clients.RemoveAll(t => t.IsCompleted);
                clients.Add(ServeAsync(client, ct));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        await Task.WhenAll(clients).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            await ThreadPoolHop.Ensure(); // a deployment reads recipes and copies artifacts: never on a socket thread
            JsonObject reply;
            try
            {
                reply = CliProtocol.Ok(await HandleAsync(JsonNode.Parse(line) as JsonObject ?? throw new LocalDeploymentException("request: not a JSON object"), ct));
            }
            catch (Exception ex) when (ex is LocalDeploymentException or JsonException or InvalidOperationException or FormatException)
            {
                reply = CliProtocol.Error(ex.Message);
            }

            await writer.WriteLineAsync(reply.ToJsonString());
        }
    }

    private async Task<JsonNode?> HandleAsync(JsonObject request, CancellationToken ct)
    {
        var command = request["command"]?.GetValue<string>() ?? throw new LocalDeploymentException("command: required");
        string Name() => request["name"]?.GetValue<string>() ?? throw new LocalDeploymentException("name: required");
        switch (command)
        {
            case "deployment.create":
                var body = request["request"]?.Deserialize<LocalDeploymentRequest>(CliProtocol.Json) ?? throw new LocalDeploymentException("request: required");
                return new JsonObject { ["deploymentId"] = await runtime.CreateLocalDeploymentAsync(body, ct) };
            case "deployment.list":
                return JsonSerializer.SerializeToNode(runtime.Deployments(), CliProtocol.Json);
            case "deployment.status":
                var id = request["id"]?.GetValue<string>() ?? throw new LocalDeploymentException("id: required");
                return JsonSerializer.SerializeToNode(
                    runtime.Deployments().LastOrDefault(d => d.DeploymentId == id) ?? throw new LocalDeploymentException($"id: no deployment {id}"), CliProtocol.Json);
            case "deployment.cancel":
                return await CancelAsync(request["id"]?.GetValue<string>() ?? throw new LocalDeploymentException("id: required"), ct);
            case "component.list":
                return JsonSerializer.SerializeToNode(runtime.Report().Components, CliProtocol.Json);
            case "component.details":
                var name = Name();
                var report = runtime.Report().Components.FirstOrDefault(c => c.Name == name) ?? throw new LocalDeploymentException($"name: {name} is not deployed");
                var details = JsonSerializer.SerializeToNode(report, CliProtocol.Json)!.AsObject();
                details["configuration"] = runtime.ConfigurationOf(name);
                return details;
            case "component.restart":
                return Status(await runtime.RequestAsync(Name(), DesiredRequest.Restart));
            case "component.stop":
                return Status(await runtime.RequestAsync(Name(), DesiredRequest.Stop));
            default:
                throw new LocalDeploymentException($"command: unknown command '{command}'");
        }
    }

    private async Task<JsonObject> CancelAsync(string id, CancellationToken ct)
    {
        var verdict = await runtime.CancelLocalDeploymentAsync(id, ct);
        return verdict == CancelVerdict.NotFound
            ? throw new LocalDeploymentException($"id: no local deployment {id}")
            : new JsonObject { ["message"] = LocalDeploymentCancellation.Message(verdict, id) };
    }

    private static JsonObject Status(IpcRequestStatus status) =>
        status.Succeeded ? new JsonObject { ["status"] = "SUCCEEDED" } : throw new LocalDeploymentException(status.Message ?? "request refused");
}
