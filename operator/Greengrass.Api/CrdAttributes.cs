namespace Greengrass.Api;

// The CRD generator reads these attributes to write the OpenAPI schema of each kind. Scalar constraints
// (enum, pattern) apply to the value itself; on a list they apply to its items and on a map to its values.

/// <summary>Names kubectl uses for a kind besides its plural: short names and categories.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CrdNamesAttribute : Attribute
{
    /// <summary>Short names, such as <c>ggcomp</c>.</summary>
    public string[] ShortNames { get; set; } = [];

    /// <summary>Categories, such as <c>greengrass</c> for <c>kubectl get greengrass</c>.</summary>
    public string[] Categories { get; set; } = [];
}

/// <summary>A column of <c>kubectl get</c> for a kind (additionalPrinterColumns), in declaration order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CrdPrinterColumnAttribute : Attribute
{
    /// <summary>Creates a column.</summary>
    /// <param name="name">Column header.</param>
    /// <param name="type">OpenAPI type of the value: string, integer, number, boolean or date.</param>
    /// <param name="jsonPath">Simple JSONPath to the value, relative to the object, such as <c>.spec.componentName</c>.</param>
    public CrdPrinterColumnAttribute(string name, string type, string jsonPath)
    {
        Name = name;
        Type = type;
        JsonPath = jsonPath;
    }

    /// <summary>Column header.</summary>
    public string Name { get; }

    /// <summary>OpenAPI type of the value.</summary>
    public string Type { get; }

    /// <summary>Simple JSONPath to the value.</summary>
    public string JsonPath { get; }

    /// <summary>Human-readable explanation of the column.</summary>
    public string? Description { get; set; }

    /// <summary>0 shows the column always; higher values only with <c>kubectl get -o wide</c>.</summary>
    public int Priority { get; set; }
}

/// <summary>A CEL rule (x-kubernetes-validations) on the schema of a property or of a type.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CrdValidationAttribute : Attribute
{
    /// <summary>Creates a rule.</summary>
    /// <param name="rule">CEL expression over <c>self</c> (and <c>oldSelf</c> for transition rules).</param>
    public CrdValidationAttribute(string rule) => Rule = rule;

    /// <summary>CEL expression that must evaluate to true.</summary>
    public string Rule { get; }

    /// <summary>Message returned when the rule fails.</summary>
    public string? Message { get; set; }

    /// <summary>Path of the field the failure is reported on, relative to the node the rule is on.</summary>
    public string? FieldPath { get; set; }
}

/// <summary>The closed set of values a string accepts.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdEnumAttribute : Attribute
{
    /// <summary>Lists the values.</summary>
    /// <param name="values">The accepted values.</param>
    public CrdEnumAttribute(params string[] values) => Values = values;

    /// <summary>Takes the values from the public string constants of a class, in declaration order.</summary>
    /// <param name="constants">A static class such as <see cref="ComponentStates"/>.</param>
    public CrdEnumAttribute(Type constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        Constants = constants;
        Values = constants.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
    }

    /// <summary>The class the values come from, when given as a class.</summary>
    public Type? Constants { get; }

    /// <summary>The accepted values.</summary>
    public string[] Values { get; }
}

/// <summary>A regular expression (RE2 syntax) a string must match.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdPatternAttribute : Attribute
{
    /// <summary>Sets the pattern.</summary>
    /// <param name="pattern">The regular expression.</param>
    public CrdPatternAttribute(string pattern) => Pattern = pattern;

    /// <summary>The regular expression.</summary>
    public string Pattern { get; }
}

/// <summary>Size bounds: string length, list items or map entries, depending on the property's type.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdLengthAttribute : Attribute
{
    /// <summary>Minimum size; negative means unbounded.</summary>
    public int Min { get; set; } = -1;

    /// <summary>Maximum size; negative means unbounded.</summary>
    public int Max { get; set; } = -1;
}

/// <summary>Numeric bounds of a number or integer, inclusive.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdRangeAttribute : Attribute
{
    /// <summary>Smallest accepted value; NaN means unbounded.</summary>
    public double Minimum { get; set; } = double.NaN;

    /// <summary>Largest accepted value; NaN means unbounded.</summary>
    public double Maximum { get; set; } = double.NaN;
}

/// <summary>
/// Marks a free-form object (x-kubernetes-preserve-unknown-fields): only where Greengrass itself is free-form, such as
/// configuration and lifecycle. The generator refuses a free-form type without it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdPreserveUnknownFieldsAttribute : Attribute
{
}

/// <summary>Makes a property required even though its C# type is nullable.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdRequiredAttribute : Attribute
{
}

/// <summary>Replaces the description the generator takes from the XML documentation.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
public sealed class CrdDescriptionAttribute : Attribute
{
    /// <summary>Sets the description.</summary>
    /// <param name="description">The text <c>kubectl explain</c> shows.</param>
    public CrdDescriptionAttribute(string description) => Description = description;

    /// <summary>The text <c>kubectl explain</c> shows.</summary>
    public string Description { get; }
}

/// <summary>Makes a list a map keyed by some of its items' fields (x-kubernetes-list-type: map), for server-side apply.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class CrdListMapAttribute : Attribute
{
    /// <summary>Sets the keys.</summary>
    /// <param name="keys">Names of the required item fields that identify an item.</param>
    public CrdListMapAttribute(params string[] keys) => Keys = keys;

    /// <summary>Names of the item fields that identify an item.</summary>
    public string[] Keys { get; }
}
