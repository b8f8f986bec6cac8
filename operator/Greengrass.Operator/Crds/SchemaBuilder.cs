using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Crds;

/// <summary>
/// Builds structural OpenAPI v3 schemas from the Greengrass.Api types by reflection: property names as
/// KubernetesJson writes them, required = not nullable, constraints from the Crd* attributes, descriptions from
/// the XML documentation. Unknown shapes fail with the path of the property, never silently.
/// </summary>
internal sealed class SchemaBuilder(XmlDocumentation documentation)
{
    private readonly NullabilityInfoContext _nullability = new();
    private readonly HashSet<Type> _building = [];

    /// <summary>The schema of one resource kind: apiVersion, kind, metadata, spec and status.</summary>
    public V1JSONSchemaProps BuildResource(Type resource)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
        {
            ["apiVersion"] = new() { Type = "string", Description = "Versioned schema of this representation of an object." },
            ["kind"] = new() { Type = "string", Description = "REST resource this object represents." },
            ["metadata"] = new() { Type = "object" },
        };
        var required = new List<string>();
        foreach (var property in resource.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name is "Spec" or "Status")
            {
                AddProperty(properties, required, property, "");
            }
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = Describe(resource),
            Properties = properties,
            Required = required.Count == 0 ? null : required.Order(StringComparer.Ordinal).ToList(),
        };
    }

    private V1JSONSchemaProps BuildObject(Type type, string path)
    {
        if (!_building.Add(type))
        {
            throw new InvalidOperationException($"{path}: {type.Name} contains itself; a structural schema cannot be recursive");
        }

        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            // KubernetesJson writes a get-only property, and the API server would prune it as unknown.
            if (!property.CanWrite)
            {
                throw new InvalidOperationException($"{path}.{JsonName(property)}: get-only property; add a setter or [JsonIgnore]");
            }

            AddProperty(properties, required, property, path);
        }

        _building.Remove(type);
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = Describe(type),
            Properties = properties,
            Required = required.Count == 0 ? null : required.Order(StringComparer.Ordinal).ToList(),
        };
        AddValidations(schema, type.GetCustomAttributes<CrdValidationAttribute>());
        return schema;
    }

    private void AddProperty(IDictionary<string, V1JSONSchemaProps> properties, List<string> required, PropertyInfo property, string path)
    {
        var name = JsonName(property);
        var propertyPath = path + "." + name;
        var schema = BuildValue(property.PropertyType, propertyPath, property.GetCustomAttribute<CrdPreserveUnknownFieldsAttribute>() is not null);
        schema.Description = property.GetCustomAttribute<CrdDescriptionAttribute>()?.Description
            ?? documentation.ForProperty(property) ?? schema.Description;
        SchemaConstraints.Apply(schema, property, propertyPath);
        properties[name] = schema;
        if (IsRequired(property))
        {
            required.Add(name);
        }
    }

    private V1JSONSchemaProps BuildValue(Type declared, string path, bool freeForm)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (type == typeof(JsonObject))
        {
            if (!freeForm)
            {
                throw new InvalidOperationException(
                    $"{path}: a free-form object needs [CrdPreserveUnknownFields], which belongs only where Greengrass itself is free-form");
            }

            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true };
        }

        if (freeForm && type != typeof(JsonObject))
        {
            throw new InvalidOperationException($"{path}: [CrdPreserveUnknownFields] is only for properties of type JsonObject");
        }

        if (Scalar(type) is { } scalar)
        {
            return scalar;
        }

        if (KubernetesSchemas.TryBuild(type, out var embedded))
        {
            return embedded;
        }

        if (MapValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = BuildValue(valueType, path + "[*]", false) };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = BuildValue(itemType, path + "[*]", false) };
        }

        // Our own classes become objects; a framework or Kubernetes type without a known schema must fail loudly.
        if (type.IsClass && !IsForeign(type))
        {
            return BuildObject(type, path);
        }

        throw new InvalidOperationException($"{path}: no schema mapping for type {type.FullName}");
    }

    private static bool IsForeign(Type type) =>
        type.Namespace is null || type.Namespace.StartsWith("System", StringComparison.Ordinal) || type.Namespace.StartsWith("k8s", StringComparison.Ordinal);

    private static V1JSONSchemaProps? Scalar(Type type) => type switch
    {
        _ when type == typeof(string) => new() { Type = "string" },
        _ when type == typeof(bool) => new() { Type = "boolean" },
        _ when type == typeof(int) => new() { Type = "integer", Format = "int32" },
        _ when type == typeof(long) => new() { Type = "integer", Format = "int64" },
        _ when type == typeof(double) => new() { Type = "number", Format = "double" },
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => new() { Type = "string", Format = "date-time" },
        _ when type == typeof(IntOrString) => new() { XKubernetesIntOrString = true },
        _ => null,
    };

    private static Type? MapValueType(Type type)
    {
        var map = type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type
            : null;
        if (map is null)
        {
            return null;
        }

        var arguments = map.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new InvalidOperationException($"map keys must be strings in a JSON schema, not {arguments[0].Name}");
    }

    private static Type? ListItemType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(IReadOnlyList<>) || d == typeof(ICollection<>) || d == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    private bool IsRequired(PropertyInfo property)
    {
        if (property.GetCustomAttribute<CrdRequiredAttribute>() is not null)
        {
            return true;
        }

        if (property.PropertyType.IsValueType)
        {
            return Nullable.GetUnderlyingType(property.PropertyType) is null;
        }

        return _nullability.Create(property).WriteState == NullabilityState.NotNull;
    }

    private string? Describe(Type type) =>
        type.GetCustomAttribute<CrdDescriptionAttribute>()?.Description ?? documentation.ForType(type);

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    internal static void AddValidations(V1JSONSchemaProps schema, IEnumerable<CrdValidationAttribute> rules)
    {
        foreach (var rule in rules)
        {
            schema.XKubernetesValidations ??= [];
            schema.XKubernetesValidations.Add(new V1ValidationRule { Rule = rule.Rule, Message = rule.Message, FieldPath = rule.FieldPath });
        }
    }
}
