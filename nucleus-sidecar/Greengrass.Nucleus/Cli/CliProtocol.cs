using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Cli;

/// <summary>
/// The local CLI protocol: one JSON object per line over the Unix socket <c>&lt;root&gt;/cli.socket</c>.
/// Request <c>{"command":"component.restart","name":"com.example.App"}</c>; reply <c>{"ok":true,"result":…}</c> or
/// <c>{"ok":false,"error":"…"}</c>. Commands: <c>deployment.create</c> (<c>request</c>: a CreateLocalDeployment request),
/// <c>deployment.list</c>, <c>deployment.status</c> and <c>deployment.cancel</c> (<c>id</c>), <c>component.list</c>, <c>component.details</c>,
/// <c>component.restart</c>, <c>component.stop</c> (<c>name</c>).
/// </summary>
internal static class CliProtocol
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JsonObject Ok(JsonNode? result) => new() { ["ok"] = true, ["result"] = result };

    public static JsonObject Error(string message) => new() { ["ok"] = false, ["error"] = message };
}
