using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Operator.Crds;

namespace Greengrass.Operator.Tests.Support;

/// <summary>The generated CRDs, once per test run, as files and as JSON.</summary>
internal static class GeneratedCrds
{
    private static readonly Lazy<IReadOnlyList<GeneratedFile>> LazyFiles = new(CrdGenerator.GenerateAll);

    public static IReadOnlyList<GeneratedFile> Files => LazyFiles.Value;

    public static IEnumerable<object[]> FileNames => Files.Select(f => new object[] { f.FileName });

    public static JsonObject Json(string fileName) =>
        (JsonObject)ResourceYaml.ToJson(Files.Single(f => f.FileName == fileName).Content);

    public static JsonObject JsonOfKind(string kind) =>
        Files.Select(f => (JsonObject)ResourceYaml.ToJson(f.Content)).Single(crd => (string?)crd["spec"]!["names"]!["kind"] == kind);

    public static JsonObject Schema(JsonObject crd) => (JsonObject)crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    /// <summary>The schema node at a dotted path such as <c>spec.manifests[*].artifacts[*].uri</c>; [*] steps into items or map values.</summary>
    public static JsonObject? Node(JsonObject schema, string path)
    {
        JsonObject? node = schema;
        foreach (var part in path.Split('.'))
        {
            var name = part.Replace("[*]", "", StringComparison.Ordinal);
            node = node?["properties"]?[name] as JsonObject;
            for (var i = 0; node is not null && i < (part.Length - name.Length) / 3; i++)
            {
                node = (node["items"] ?? node["additionalProperties"]) as JsonObject;
            }
        }

        return node;
    }
}
