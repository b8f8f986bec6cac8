using System.Reflection;
using System.Text.Json.Nodes;
using Greengrass.Api;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.Crds;

/// <summary>One generated file: its name inside crds/ and its content.</summary>
internal sealed record GeneratedFile(string FileName, string Content);

/// <summary>
/// Builds the CustomResourceDefinition of every kind in Greengrass.Api. Pure and deterministic: properties are
/// sorted, printer columns keep declaration order, so running it twice gives byte-identical YAML.
/// </summary>
internal static class CrdGenerator
{
    public const string Header = "# Generated from operator/Greengrass.Api by `make crds`. Do not edit: change the C# types and regenerate.\n";

    /// <summary>The CRD files of the Greengrass.Api assembly, ordered by file name.</summary>
    public static IReadOnlyList<GeneratedFile> GenerateAll()
    {
        var assembly = typeof(GreengrassApi).Assembly;
        var schemas = new SchemaBuilder(XmlDocumentation.Load(assembly));
        return ResourceTypes(assembly)
            .Select(type => Build(type, schemas))
            .Select(crd => new GeneratedFile(FileName(crd), Render(crd)))
            .OrderBy(file => file.FileName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Top-level kinds: types with [KubernetesEntity] whose metadata is object metadata (lists are not kinds of their own).</summary>
    public static IReadOnlyList<Type> ResourceTypes(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t.GetCustomAttribute<KubernetesEntityAttribute>() is not null && typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

    public static V1CustomResourceDefinition Build(Type resource, SchemaBuilder schemas)
    {
        var entity = resource.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{resource.Name} has no [KubernetesEntity]");
        var names = resource.GetCustomAttribute<CrdNamesAttribute>();
        var version = new V1CustomResourceDefinitionVersion
        {
            Name = entity.ApiVersion,
            Served = true,
            Storage = true,
            Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schemas.BuildResource(resource) },
            Subresources = new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
            AdditionalPrinterColumns = PrinterColumns(resource),
        };
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{entity.PluralName}.{entity.Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = entity.PluralName,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = names?.ShortNames is { Length: > 0 } shortNames ? shortNames : null,
                    Categories = names?.Categories is { Length: > 0 } categories ? categories : null,
                },
                Versions = [version],
            },
        };
    }

    public static string FileName(V1CustomResourceDefinition crd) => $"{crd.Spec.Group}_{crd.Spec.Names.Plural}.yaml";

    // Rendered through JSON so strings that YAML 1.1 readers would take for dates or booleans (the recipe format
    // version 2020-01-25) come out quoted.
    public static string Render(V1CustomResourceDefinition crd) =>
        Header + ResourceYaml.FromJson(JsonNode.Parse(KubernetesJson.Serialize(crd))).ReplaceLineEndings("\n");

    private static List<V1CustomResourceColumnDefinition>? PrinterColumns(Type resource)
    {
        var columns = resource.GetCustomAttributes<CrdPrinterColumnAttribute>()
            .Select(c => new V1CustomResourceColumnDefinition
            {
                Name = c.Name,
                Type = c.Type,
                JsonPath = c.JsonPath,
                Description = c.Description,
                Priority = c.Priority == 0 ? null : c.Priority,
            })
            .ToList();
        return columns.Count == 0 ? null : columns;
    }
}
