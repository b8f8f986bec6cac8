using System.Text.RegularExpressions;

namespace Greengrass.Model.Recipes;

/// <summary>The <c>Manifests</c> part of recipe binding: platforms, selections, lifecycle and artifacts.</summary>
internal sealed partial class RecipeBinder
{
    private static readonly string[] ManifestKeys = ["Platform", "Name", "Lifecycle", "Selections", "Artifacts"];
    private static readonly string[] ArtifactKeys = ["URI", "Digest", "Algorithm", "Unarchive", "Permission"];
    private static readonly string[] PermissionKeys = ["Read", "Execute"];
    private static readonly string[] DetectedPlatformKeys = ["os", "architecture", "architecture.detail"];

    private SequenceNode? ReadManifestList(SourceNode node, string path)
    {
        if (context.Sequence(node, path) is not { } list)
        {
            return null;
        }

        if (list.Items.Count == 0)
        {
            context.Error(path, list, "a recipe needs at least one manifest");
        }

        return list;
    }

    // The selection keywords of every manifest, plus "all": they mark selection levels in the global lifecycle.
    private static HashSet<string> SelectionKeys(SequenceNode? manifests)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "all" };
        foreach (var manifest in manifests?.Items.OfType<MappingNode>() ?? [])
        {
            var selections = manifest.Entries.FirstOrDefault(e => e.Key.Text.Equals("Selections", StringComparison.OrdinalIgnoreCase));
            foreach (var item in (selections.Value as SequenceNode)?.Items.OfType<ScalarNode>() ?? [])
            {
                keys.Add(item.Text);
            }
        }

        return keys;
    }

    private List<PlatformManifest> ReadManifests(SequenceNode list)
    {
        var manifests = new List<PlatformManifest>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            var path = $"Manifests[{i}]";
            if (context.Mapping(list.Items[i], path) is not { } map)
            {
                continue;
            }

            var fields = context.Fields(map, path, ManifestKeys, unknownIsError: false);
            manifests.Add(new PlatformManifest
            {
                Platform = Optional(fields, "Platform", (n, p) => ReadPlatform(n, $"{path}.{p}")),
                Name = Optional(fields, "Name", (n, p) => context.String(n, $"{path}.{p}")),
                Lifecycle = Optional(fields, "Lifecycle", (n, p) => ReadLifecycle(n, $"{path}.{p}", LifecycleReader.NoSelections)),
                Selections = Optional(fields, "Selections", (n, p) => ReadStrings(n, $"{path}.{p}")),
                Artifacts = Optional(fields, "Artifacts", (n, p) => ReadArtifacts(n, $"{path}.{p}")),
            });
        }

        return manifests;
    }

    private Dictionary<string, string?>? ReadPlatform(SourceNode node, string path)
    {
        if (context.Mapping(node, path) is not { } map)
        {
            return null;
        }

        var platform = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var entryPath = BindContext.Join(path, key.Text);
            string? template = value is ScalarNode { Kind: ScalarKind.Null } ? null : context.String(value, entryPath);
            if (template is { Length: >= 2 } && template[0] == '/' && template[^1] == '/' && !IsValidRegex(template[1..^1]))
            {
                context.Error(entryPath, value, $"\"{template}\" is not a valid regular expression");
            }

            if (!platform.TryAdd(PlatformKey(key.Text), template))
            {
                context.Error(entryPath, key, $"duplicate key \"{key.Text}\"");
            }
        }

        return platform;
    }

    // The detected attributes are recipe fields in the nucleus and so match in any case; other keys stay as written.
    private static string PlatformKey(string key) =>
        Array.Find(DetectedPlatformKeys, k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;

    private static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private List<string>? ReadStrings(SourceNode node, string path)
    {
        if (context.Sequence(node, path) is not { } list)
        {
            return null;
        }

        var strings = new List<string>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (context.String(list.Items[i], $"{path}[{i}]") is { } text)
            {
                strings.Add(text);
            }
        }

        return strings;
    }

    private List<ComponentArtifact>? ReadArtifacts(SourceNode node, string path)
    {
        if (context.Sequence(node, path) is not { } list)
        {
            return null;
        }

        var artifacts = new List<ComponentArtifact>(list.Items.Count);
        var fileNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (ReadArtifact(list.Items[i], $"{path}[{i}]") is not { } artifact)
            {
                continue;
            }

            if (ArtifactUris.FileNameOf(artifact.Uri) is { } fileName && !fileNames.Add(fileName))
            {
                context.Error($"{path}[{i}].URI", list.Items[i], $"another artifact of this manifest is already named \"{fileName}\"");
            }

            artifacts.Add(artifact);
        }

        return artifacts;
    }

    private ComponentArtifact? ReadArtifact(SourceNode node, string path)
    {
        if (context.Mapping(node, path) is not { } map)
        {
            return null;
        }

        var fields = context.Fields(map, path, ArtifactKeys, unknownIsError: false);
        var uri = fields.TryGetValue("URI", out var field) ? ReadUri(field.Value, $"{path}.URI") : Missing(map, $"{path}.URI");
        var artifact = new ComponentArtifact
        {
            Uri = uri ?? string.Empty,
            Digest = Optional(fields, "Digest", (n, p) => context.String(n, $"{path}.{p}")),
            Algorithm = Optional(fields, "Algorithm", (n, p) => context.String(n, $"{path}.{p}")),
            Unarchive = Optional(fields, "Unarchive", (n, p) => context.Enum<UnarchiveType>(n, $"{path}.{p}")),
            Permission = Optional(fields, "Permission", (n, p) => ReadPermission(n, $"{path}.{p}")),
        };
        return uri is null ? null : artifact;
    }

    private string? ReadUri(SourceNode node, string path)
    {
        var uri = context.String(node, path);
        var scheme = uri is null ? null : ArtifactUris.SchemeOf(uri);
        if (uri is not null && (scheme is null || !ArtifactUris.SupportedSchemes.Contains(scheme)))
        {
            context.Error(path, node, $"unsupported artifact URI \"{uri}\"; the scheme must be one of {string.Join(", ", ArtifactUris.SupportedSchemes)}");
        }

        return uri;
    }

    private ArtifactPermission? ReadPermission(SourceNode node, string path)
    {
        if (context.Mapping(node, path) is not { } map)
        {
            return null;
        }

        var fields = context.Fields(map, path, PermissionKeys, unknownIsError: true);
        return new ArtifactPermission
        {
            Read = Optional(fields, "Read", (n, p) => context.Enum<PermissionLevel>(n, $"{path}.{p}")),
            Execute = Optional(fields, "Execute", (n, p) => context.Enum<PermissionLevel>(n, $"{path}.{p}")),
        };
    }
}
