using Greengrass.EdgeCluster.Http;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>Container log files under the work directory: <c>logs/{namespace}_{pod}/{container}.log</c>.</summary>
internal sealed class NodeLogs(string workDir) : IPodLogSource
{
    public string PathFor(string ns, string pod, string container)
    {
        var dir = Path.Combine(workDir, "logs", $"{ns}_{pod}");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, container + ".log");
    }

    public string Read(string ns, string pod, string? container)
    {
        var dir = Path.Combine(workDir, "logs", $"{ns}_{pod}");
        var file = container is null
            ? (Directory.Exists(dir) ? Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).FirstOrDefault() : null)
            : Path.Combine(dir, container + ".log");
        if (file is null || !File.Exists(file))
        {
            throw new ApiException(400, "BadRequest", $"container \"{container}\" in pod \"{pod}\" is waiting to start: no log output yet");
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
