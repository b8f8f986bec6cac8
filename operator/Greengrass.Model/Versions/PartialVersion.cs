namespace Greengrass.Model.Versions;

/// <summary>A version inside a range, where trailing parts may be missing or wildcards (<c>1</c>, <c>1.x</c>, <c>1.2.*</c>).</summary>
internal readonly record struct PartialVersion(int? Major, int? Minor, int? Patch, string[] PreRelease)
{
    // Leaves room for the +1 that upper bounds add.
    private const int MaxNumber = int.MaxValue - 1;

    public bool IsFull => Patch is not null;

    /// <summary>Parses a partial version; returns the reason it is invalid, or null.</summary>
    public static string? TryParse(string text, out PartialVersion partial)
    {
        partial = new PartialVersion(null, null, null, []);
        var body = text.Length > 0 && text[0] is 'v' or 'V' ? text[1..] : text;
        var plus = body.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            body = body[..plus];
        }

        var preRelease = Array.Empty<string>();
        var dash = body.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            var full = SemanticVersionParser.Parse(body, greengrassRules: false, out var version);
            if (full is not null)
            {
                return "a version with a pre-release must be a full, valid MAJOR.MINOR.PATCH-PRERELEASE";
            }

            preRelease = [.. version!.PreRelease];
            body = body[..dash];
        }

        if (body.Length == 0)
        {
            return "empty version";
        }

        var parts = body.Split('.');
        if (parts.Length > 3)
        {
            return "a version has at most three parts";
        }

        var numbers = new int?[3];
        var wildcard = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part is "x" or "X" or "*")
            {
                wildcard = true;
                continue;
            }

            var error = SemanticVersionParser.ParseNumber(text, part, "part", MaxNumber, out var value);
            if (error is not null)
            {
                return $"\"{part}\" is neither a number nor a wildcard (x, X, *)";
            }

            // npm: once a part is a wildcard, the parts after it are ignored (1.x.3 means 1.x).
            numbers[i] = wildcard ? null : value;
        }

        partial = new PartialVersion(numbers[0], numbers[0] is null ? null : numbers[1],
            numbers[1] is null ? null : numbers[2], preRelease);
        return null;
    }

    public SemanticVersion ToVersion() => Create(Major ?? 0, Minor ?? 0, Patch ?? 0, PreRelease);

    public static SemanticVersion Create(int major, int minor, int patch, string[]? preRelease = null) =>
        new(major, minor, patch, preRelease ?? [], string.Empty);

    /// <summary>The lowest pre-release of a tuple (<c>M.m.p-0</c>): an exclusive upper bound that also keeps out its pre-releases.</summary>
    public static SemanticVersion Floor(int major, int minor, int patch) => Create(major, minor, patch, ["0"]);
}
