using System.Reflection;
using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Crds;

/// <summary>
/// Applies a property's Crd* attributes to its schema. Value constraints (enum, pattern) land on the scalar: the
/// node itself, a list's items or a map's values; size bounds land on the node. A constraint that does not fit
/// the node's type fails with the property path.
/// </summary>
internal static class SchemaConstraints
{
    public static void Apply(V1JSONSchemaProps schema, PropertyInfo property, string path)
    {
        var scalar = schema.Type switch
        {
            "array" => schema.Items as V1JSONSchemaProps,
            "object" => schema.AdditionalProperties as V1JSONSchemaProps,
            _ => schema,
        } ?? schema;

        if (property.GetCustomAttribute<CrdEnumAttribute>() is { } enumeration)
        {
            RequireString(scalar, path, "[CrdEnum]");
            scalar.EnumProperty = enumeration.Values.Cast<object>().ToList();
        }

        if (property.GetCustomAttribute<CrdPatternAttribute>() is { } pattern)
        {
            if (scalar.Type != "string" && scalar.XKubernetesIntOrString != true)
            {
                throw new InvalidOperationException($"{path}: [CrdPattern] needs a string value, found {scalar.Type}");
            }

            scalar.Pattern = pattern.Pattern;
        }

        if (property.GetCustomAttribute<CrdLengthAttribute>() is { } length)
        {
            ApplyLength(schema, length, path);
        }

        if (property.GetCustomAttribute<CrdRangeAttribute>() is { } range)
        {
            ApplyRange(schema, range, path);
        }

        if (property.GetCustomAttribute<CrdListMapAttribute>() is { } listMap)
        {
            ApplyListMap(schema, listMap, path);
        }

        SchemaBuilder.AddValidations(schema, property.GetCustomAttributes<CrdValidationAttribute>());
    }

    private static void RequireString(V1JSONSchemaProps node, string path, string attribute)
    {
        if (node.Type != "string")
        {
            throw new InvalidOperationException($"{path}: {attribute} needs a string value, found {node.Type ?? "an untyped node"}");
        }
    }

    private static void ApplyLength(V1JSONSchemaProps schema, CrdLengthAttribute length, string path)
    {
        long? min = length.Min >= 0 ? length.Min : null;
        long? max = length.Max >= 0 ? length.Max : null;
        switch (schema.Type)
        {
            case "string":
                (schema.MinLength, schema.MaxLength) = (min, max);
                break;
            case "array":
                (schema.MinItems, schema.MaxItems) = (min, max);
                break;
            case "object":
                (schema.MinProperties, schema.MaxProperties) = (min, max);
                break;
            default:
                throw new InvalidOperationException($"{path}: [CrdLength] needs a string, list or map, found {schema.Type}");
        }
    }

    private static void ApplyRange(V1JSONSchemaProps schema, CrdRangeAttribute range, string path)
    {
        if (schema.Type is not ("integer" or "number"))
        {
            throw new InvalidOperationException($"{path}: [CrdRange] needs a number, found {schema.Type}");
        }

        schema.Minimum = double.IsNaN(range.Minimum) ? null : range.Minimum;
        schema.Maximum = double.IsNaN(range.Maximum) ? null : range.Maximum;
    }

    private static void ApplyListMap(V1JSONSchemaProps schema, CrdListMapAttribute listMap, string path)
    {
        if (schema.Type != "array" || schema.Items is not V1JSONSchemaProps { Type: "object" } items)
        {
            throw new InvalidOperationException($"{path}: [CrdListMap] needs a list of objects");
        }

        // Server-side apply merges list-map items by key, so every key must always be present.
        foreach (var key in listMap.Keys)
        {
            if (items.Required?.Contains(key) != true)
            {
                throw new InvalidOperationException($"{path}: list-map key '{key}' must be a required field of the items");
            }
        }

        schema.XKubernetesListType = "map";
        schema.XKubernetesListMapKeys = listMap.Keys.ToList();
    }
}
