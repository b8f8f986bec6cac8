using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Storage;

namespace Greengrass.Nucleus.Cli;

/// <summary>
/// <c>greengrass-nucleus cli --root DIR …</c>: the local CLI. Talks to a running nucleus over <c>&lt;root&gt;/cli.socket</c>
/// and prints the reply as JSON; exit code 0 on success, 1 when the nucleus refused, 2 for bad usage.
/// </summary>
internal static class CliCommand
{
    public const string Usage = """
        usage: greengrass-nucleus cli --root DIR <command>
          deployment create [--recipe-dir DIR] [--artifact-dir DIR] [--merge NAME=VERSION]... [--remove NAME]...
                            [--update-config JSON] [--failure-handling ROLLBACK|DO_NOTHING]
          deployment list | deployment status ID | deployment cancel ID
          component list | component details NAME | component restart NAME | component stop NAME
          logs NAME
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var rest = args.ToList();
        var root = TakeOption(rest, "--root");
        if (root is null || rest.Count == 0)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            if (rest[0] == "logs")
            {
                return await PrintLogAsync(root, rest, output, error);
            }

            var request = BuildRequest(rest);
            var reply = await SendAsync(Path.Combine(Path.GetFullPath(root), "cli.socket"), request, CancellationToken.None);
            if (reply["ok"]?.GetValue<bool>() == true)
            {
                await output.WriteLineAsync(reply["result"]?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null");
                return 0;
            }

            await error.WriteLineAsync(reply["error"]?.GetValue<string>() ?? "the nucleus refused the request");
            return 1;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\n{Usage}");
            return 2;
        }
        catch (SocketException ex)
        {
            await error.WriteLineAsync($"No nucleus is listening under {root}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Sends one request and reads one reply.</summary>
    public static async Task<JsonObject> SendAsync(string socketPath, JsonObject request, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await writer.WriteLineAsync(request.ToJsonString());
        var line = await reader.ReadLineAsync(ct) ?? throw new IOException("The nucleus closed the connection without a reply.");
        return JsonNode.Parse(line)!.AsObject();
    }

    private static JsonObject BuildRequest(List<string> rest)
    {
        var verb = rest.Count > 1 ? $"{rest[0]}.{rest[1]}" : rest[0];
        var operands = rest.Skip(2).ToList();
        return verb switch
        {
            "deployment.create" => new JsonObject { ["command"] = verb, ["request"] = CreateRequest(operands) },
            "deployment.list" or "component.list" => new JsonObject { ["command"] = verb },
            "deployment.status" or "deployment.cancel" => new JsonObject { ["command"] = verb, ["id"] = Single(operands, "ID") },
            "component.details" or "component.restart" or "component.stop" => new JsonObject { ["command"] = verb, ["name"] = Single(operands, "NAME") },
            _ => throw new ArgumentException($"unknown command '{string.Join(' ', rest.Take(2))}'"),
        };
    }

    private static JsonObject CreateRequest(List<string> operands)
    {
        var recipeDir = TakeOption(operands, "--recipe-dir");
        var artifactDir = TakeOption(operands, "--artifact-dir");
        var updateConfig = TakeOption(operands, "--update-config");
        var failure = TakeOption(operands, "--failure-handling");
        var merge = new JsonObject();
        while (TakeOption(operands, "--merge") is { } entry)
        {
            var at = entry.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"--merge: '{entry}' is not NAME=VERSION");
            }

            merge[entry[..at]] = entry[(at + 1)..];
        }

        var remove = new JsonArray();
        while (TakeOption(operands, "--remove") is { } name)
        {
            remove.Add(name);
        }

        if (operands.Count > 0)
        {
            throw new ArgumentException($"unexpected argument '{operands[0]}'");
        }

        JsonNode? configuration;
        try
        {
            configuration = updateConfig is null ? null : JsonNode.Parse(updateConfig);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"--update-config: not valid JSON: {ex.Message}", ex);
        }

        return new JsonObject
        {
            ["recipeDirectoryPath"] = recipeDir is null ? null : Path.GetFullPath(recipeDir),
            ["artifactsDirectoryPath"] = artifactDir is null ? null : Path.GetFullPath(artifactDir),
            ["rootComponentVersionsToAdd"] = merge,
            ["rootComponentsToRemove"] = remove,
            ["componentToConfiguration"] = configuration,
            ["failureHandlingPolicy"] = failure,
        };
    }

    private static async Task<int> PrintLogAsync(string root, List<string> rest, TextWriter output, TextWriter error)
    {
        var name = Single(rest.Skip(1).ToList(), "NAME");
        var path = new NucleusPaths(root).ComponentLogPath(name);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"No log for {name} at {path}");
            return 1;
        }

        await output.WriteAsync(await File.ReadAllTextAsync(path));
        return 0;
    }

    private static string Single(List<string> operands, string what) =>
        operands.Count == 1 ? operands[0] : throw new ArgumentException($"expected exactly one {what}");

    private static string? TakeOption(List<string> args, string name)
    {
        var at = args.IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= args.Count)
        {
            throw new ArgumentException($"{name} needs a value");
        }

        var value = args[at + 1];
        args.RemoveRange(at, 2);
        return value;
    }
}
