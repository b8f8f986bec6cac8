using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.EdgeCluster.Http;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>Where the API server is, for pods that talk to it (filled in once the server listens).</summary>
internal sealed class ClusterEndpoint
{
    private readonly TaskCompletionSource<(string BaseUrl, string? CaPem)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(string BaseUrl, string? CaPem)> Ready => _ready.Task;

    public void Set(string baseUrl, string? caPem) => _ready.TrySetResult((baseUrl, caPem));
}

/// <summary>
/// Materialises a pod's volumes in its node directory and computes each container's environment.
/// A process finds a mount through <c>EDGECLUSTER_MOUNT_&lt;VOLUME&gt;</c> (the volume name upper-cased,
/// non-alphanumerics as <c>_</c>); occurrences of the mountPath in command, args and env values are
/// rewritten to the host directory.
/// </summary>
internal sealed partial class PodEnvironment(ResourceStore store, TokenAuthority tokens, string nodeDir, string baseUrl, string? caPem)
{
    private readonly Dictionary<string, string> _volumes = new(StringComparer.Ordinal);

    public string PodDir { get; private set; } = "";

    public void PrepareVolumes(JsonObject pod)
    {
        var ns = Meta.Namespace(pod)!;
        PodDir = Path.Combine(nodeDir, "pods", $"{ns}_{Meta.Name(pod)}_{Meta.Uid(pod)![..8]}");
        Directory.CreateDirectory(PodDir);
        foreach (var volume in pod["spec"]?["volumes"]?.AsArray() ?? [])
        {
            var name = Meta.Str(volume?["name"])!;
            var dir = Path.Combine(PodDir, "volumes", name);
            if (volume!["hostPath"] is { } hostPath)
            {
                dir = Path.Combine(nodeDir, "host", (Meta.Str(hostPath["path"]) ?? name).TrimStart('/'));
            }
            Directory.CreateDirectory(dir);
            if (volume["configMap"] is { } cm)
            {
                WriteKeys(dir, Source("configmaps", ns, cm, "data"), cm["items"], decode: false);
            }
            if (volume["secret"] is { } secret)
            {
                WriteKeys(dir, Source("secrets", ns, secret, "data", nameField: "secretName"), secret["items"], decode: true);
            }
            foreach (var source in volume["projected"]?["sources"]?.AsArray() ?? [])
            {
                Project(pod, dir, source);
            }
            _volumes[name] = dir;
        }
        WriteServiceAccount(pod);
    }

    private void Project(JsonObject pod, string dir, JsonNode? source)
    {
        var ns = Meta.Namespace(pod)!;
        if (source?["serviceAccountToken"] is { } token)
        {
            var sa = Meta.Str(pod["spec"]?["serviceAccountName"]) ?? "default";
            var seconds = Meta.Long(token["expirationSeconds"]) ?? 3600;
            File.WriteAllText(Path.Combine(dir, Meta.Str(token["path"]) ?? "token"), tokens.Issue(ns, sa, TimeSpan.FromSeconds(Math.Max(600, seconds))).Token);
        }
        if (source?["configMap"] is { } cm)
        {
            WriteKeys(dir, Source("configmaps", ns, cm, "data"), cm["items"], decode: false);
        }
        if (source?["secret"] is { } secret)
        {
            WriteKeys(dir, Source("secrets", ns, secret, "data"), secret["items"], decode: true);
        }
    }

    /// <summary>Unless turned off, every pod gets its service-account token, namespace and the CA, like the in-cluster mount.</summary>
    private void WriteServiceAccount(JsonObject pod)
    {
        if (pod["spec"]?["automountServiceAccountToken"] is JsonValue v && !v.GetValue<bool>())
        {
            return;
        }
        var dir = Path.Combine(PodDir, "serviceaccount");
        Directory.CreateDirectory(dir);
        var ns = Meta.Namespace(pod)!;
        var sa = Meta.Str(pod["spec"]?["serviceAccountName"]) ?? "default";
        File.WriteAllText(Path.Combine(dir, "token"), tokens.Issue(ns, sa, TimeSpan.FromHours(24)).Token);
        File.WriteAllText(Path.Combine(dir, "namespace"), ns);
        if (caPem is not null)
        {
            File.WriteAllText(Path.Combine(dir, "ca.crt"), caPem);
        }
        _volumes["__serviceaccount"] = dir;
    }

    private JsonObject? Source(string resource, string ns, JsonNode reference, string field, string nameField = "name")
    {
        var name = Meta.Str(reference[nameField]) ?? "";
        var type = store.Registry.Find("", "v1", resource)!;
        var obj = store.Get(type, ns, name)?.Parse();
        if (obj is null && reference["optional"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"{resource} \"{name}\" not found");
        }
        return obj?[field] as JsonObject;
    }

    private static void WriteKeys(string dir, JsonObject? data, JsonNode? items, bool decode)
    {
        foreach (var (key, value) in data ?? [])
        {
            var target = (items?.AsArray() ?? []).FirstOrDefault(i => Meta.Str(i?["key"]) == key) is { } item ? Meta.Str(item["path"])! : key;
            if (items is JsonArray { Count: > 0 } && !(items.AsArray()).Any(i => Meta.Str(i?["key"]) == key))
            {
                continue;
            }
            var text = Meta.Str(value) ?? "";
            var path = Path.Combine(dir, target);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, decode ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>The container's environment: mounts, API endpoint, then env/envFrom as the pod spec says.</summary>
    public Dictionary<string, string> Environment(JsonObject pod, JsonObject container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var uri = new Uri(baseUrl);
        env["KUBERNETES_SERVICE_HOST"] = uri.Host;
        env["KUBERNETES_SERVICE_PORT"] = uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["EDGECLUSTER_API_URL"] = baseUrl;
        if (_volumes.TryGetValue("__serviceaccount", out var saDir))
        {
            env["EDGECLUSTER_SERVICEACCOUNT_DIR"] = saDir;
        }
        foreach (var (name, path) in Mounts(container))
        {
            env[$"EDGECLUSTER_MOUNT_{EnvName().Replace(name.ToUpperInvariant(), "_")}"] = path;
        }
        var ns = Meta.Namespace(pod)!;
        foreach (var from in container["envFrom"]?.AsArray() ?? [])
        {
            var prefix = Meta.Str(from?["prefix"]) ?? "";
            if (from?["configMapRef"] is { } cm && Source("configmaps", ns, cm, "data") is { } data)
            {
                foreach (var (k, v) in data)
                {
                    env[prefix + k] = Meta.Str(v) ?? "";
                }
            }
            if (from?["secretRef"] is { } sr && Source("secrets", ns, sr, "data") is { } secret)
            {
                foreach (var (k, v) in secret)
                {
                    env[prefix + k] = Encoding.UTF8.GetString(Convert.FromBase64String(Meta.Str(v) ?? ""));
                }
            }
        }
        foreach (var e in container["env"]?.AsArray() ?? [])
        {
            var name = Meta.Str(e?["name"])!;
            env[name] = e!["valueFrom"] is { } valueFrom ? ValueFrom(pod, valueFrom) : Rewrite(Expand(Meta.Str(e["value"]) ?? "", env), container);
        }
        return env;
    }

    private string ValueFrom(JsonObject pod, JsonNode valueFrom)
    {
        var ns = Meta.Namespace(pod)!;
        if (valueFrom["fieldRef"] is { } fieldRef)
        {
            var path = Meta.Str(fieldRef["fieldPath"]) ?? "";
            var m = LabelRef().Match(path);
            return m.Success
                ? (pod["metadata"]?[m.Groups[1].Value]?[m.Groups[2].Value] is { } v ? Meta.Str(v) ?? "" : "")
                : Meta.Path(pod, path) ?? "";
        }
        if (valueFrom["configMapKeyRef"] is { } cmRef)
        {
            return Meta.Str(Source("configmaps", ns, cmRef, "data")?[Meta.Str(cmRef["key"])!]) ?? "";
        }
        if (valueFrom["secretKeyRef"] is { } secretRef)
        {
            var encoded = Meta.Str(Source("secrets", ns, secretRef, "data")?[Meta.Str(secretRef["key"])!]) ?? "";
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        return "";
    }

    public IEnumerable<(string Name, string Path)> Mounts(JsonObject container)
    {
        foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
        {
            var name = Meta.Str(mount?["name"])!;
            if (_volumes.TryGetValue(name, out var dir))
            {
                var sub = Meta.Str(mount!["subPath"]);
                yield return (name, string.IsNullOrEmpty(sub) ? dir : Path.Combine(dir, sub));
            }
        }
    }

    /// <summary>Replaces container mount paths with their host directories (longest mount path first).</summary>
    public string Rewrite(string text, JsonObject container)
    {
        var mounts = (container["volumeMounts"]?.AsArray() ?? [])
            .Select(m => (MountPath: Meta.Str(m?["mountPath"]) ?? "", Name: Meta.Str(m?["name"]) ?? "", Sub: Meta.Str(m?["subPath"])))
            .Where(m => m.MountPath.Length > 1 && _volumes.ContainsKey(m.Name))
            .OrderByDescending(m => m.MountPath.Length);
        foreach (var m in mounts)
        {
            var host = string.IsNullOrEmpty(m.Sub) ? _volumes[m.Name] : Path.Combine(_volumes[m.Name], m.Sub);
            text = text.Replace(m.MountPath, host, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Kubernetes <c>$(VAR)</c> expansion in command, args and env values; <c>$$</c> escapes.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env) =>
        VarRef().Replace(text, m => m.Value == "$$" ? "$" : env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"[^A-Z0-9]")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['(.+)'\]$")]
    private static partial Regex LabelRef();

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VarRef();
}
