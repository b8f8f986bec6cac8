namespace Greengrass.Model.Platforms;

/// <summary>
/// The platform attributes of a core device that recipe manifests are matched against: <c>os</c>,
/// <c>architecture</c>, <c>architecture.detail</c> and any extra attribute (the nucleus's <c>platformOverride</c>).
/// Values are compared case-sensitively.
/// </summary>
public sealed record DevicePlatform
{
    /// <summary>Attribute key of the operating system (<c>linux</c>, <c>windows</c>, <c>darwin</c>).</summary>
    public const string OsKey = "os";

    /// <summary>Attribute key of the architecture (<c>amd64</c>, <c>x86</c>, <c>arm</c>, <c>aarch64</c>).</summary>
    public const string ArchitectureKey = "architecture";

    /// <summary>Attribute key of the ARM variant (<c>armv7l</c>, <c>armv8l</c>, …).</summary>
    public const string ArchitectureDetailKey = "architecture.detail";

    /// <summary>Node label prefix whose entries become extra attributes, e.g. <c>platform.greengrass.edge.dev/architecture.detail</c>.</summary>
    public const string AttributeLabelPrefix = "platform.greengrass.edge.dev/";

    /// <summary>The value Greengrass reports for an operating system or architecture it does not know.</summary>
    public const string Unknown = "unknown";

    /// <summary>Creates a platform from its attributes.</summary>
    public DevicePlatform(IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        Attributes = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
    }

    /// <summary>Every attribute by key.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>The <c>os</c> attribute, when known.</summary>
    public string? Os => Attributes.GetValueOrDefault(OsKey);

    /// <summary>The <c>architecture</c> attribute, when known.</summary>
    public string? Architecture => Attributes.GetValueOrDefault(ArchitectureKey);

    /// <summary>The <c>architecture.detail</c> attribute, when known.</summary>
    public string? ArchitectureDetail => Attributes.GetValueOrDefault(ArchitectureDetailKey);

    /// <summary>Creates a platform; <paramref name="extra"/> entries add attributes or override the named ones.</summary>
    public static DevicePlatform Create(string os, string architecture, string? architectureDetail = null,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OsKey] = os,
            [ArchitectureKey] = architecture,
        };
        if (architectureDetail is not null)
        {
            attributes[ArchitectureDetailKey] = architectureDetail;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            attributes[key] = value;
        }

        return new DevicePlatform(attributes);
    }

    /// <summary>
    /// The platform of a Kubernetes node from its labels: <c>kubernetes.io/os</c> and <c>kubernetes.io/arch</c>
    /// (Go names mapped to Greengrass names: amd64→amd64, arm64→aarch64, arm→arm, 386→x86), plus every
    /// <see cref="AttributeLabelPrefix"/> label as an extra attribute, which wins over the detected values.
    /// </summary>
    public static DevicePlatform FromNodeLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var os = Label(labels, "kubernetes.io/os") switch
        {
            "linux" => "linux",
            "windows" => "windows",
            "darwin" => "darwin",
            _ => Unknown,
        };
        var architecture = Label(labels, "kubernetes.io/arch") switch
        {
            "amd64" => "amd64",
            "arm64" => "aarch64",
            "arm" => "arm",
            "386" => "x86",
            _ => Unknown,
        };
        var extra = labels
            .Where(l => l.Key.StartsWith(AttributeLabelPrefix, StringComparison.Ordinal) && l.Key.Length > AttributeLabelPrefix.Length)
            .ToDictionary(l => l.Key[AttributeLabelPrefix.Length..], l => l.Value, StringComparer.Ordinal);
        return Create(os, architecture, architectureDetail: null, extra);
    }

    // The beta.kubernetes.io labels predate Kubernetes 1.14 but older nodes may still carry only them.
    private static string? Label(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.GetValueOrDefault(key) ?? labels.GetValueOrDefault("beta." + key);

    /// <inheritdoc/>
    public bool Equals(DevicePlatform? other) =>
        other is not null && Attributes.Count == other.Attributes.Count
        && Attributes.All(a => other.Attributes.TryGetValue(a.Key, out var v) && v == a.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Os, Architecture, Attributes.Count);

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"));
}
