using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Greengrass.EdgeCluster.Store;

/// <summary>A parsed label or field selector; the empty selector matches everything.</summary>
internal sealed partial class Selector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, NotExists }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;
    private readonly bool _isField;

    private Selector(List<Requirement> requirements, bool isField)
    {
        _requirements = requirements;
        _isField = isField;
    }

    public static Selector Everything { get; } = new([], false);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>The value a field selector pins <c>metadata.name</c> to, if any (lets a watch on one object stay cheap).</summary>
    public string? PinnedName => _isField
        ? _requirements.FirstOrDefault(r => r.Key == "metadata.name" && r.Op == Op.Equals)?.Values[0]
        : null;

    public static Selector ParseLabels(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseLabelRequirement(part.Trim(), text));
        }
        return new Selector(requirements, false);
    }

    public static Selector ParseFields(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<Requirement>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var m = FieldTerm().Match(part);
            if (!m.Success)
            {
                throw ApiException.BadRequest($"invalid field selector: \"{text}\": invalid selector: '{part}'; can't understand '{part}'");
            }
            var op = m.Groups["op"].Value == "!=" ? Op.NotEquals : Op.Equals;
            requirements.Add(new Requirement(m.Groups["key"].Value, op, [m.Groups["value"].Value]));
        }
        return new Selector(requirements, true);
    }

    /// <summary>
    /// Matches a stored object from its summary (labels, name, namespace, indexed fields); a field selector on any
    /// other path parses the object once, as the selector over a parsed object would read it.
    /// </summary>
    public bool Matches(StoredObject obj)
    {
        JsonObject? parsed = null;
        foreach (var r in _requirements)
        {
            string? value;
            bool present;
            if (_isField)
            {
                value = obj.IndexedField(r.Key) ?? Meta.Path(parsed ??= obj.Parse(), r.Key) ?? "";
                present = true;
            }
            else
            {
                present = obj.TryGetLabel(r.Key, out var label);
                value = present ? label : null;
            }
            if (!Satisfies(r, present, value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Satisfies(Requirement r, bool present, string? value) => r.Op switch
    {
        Op.Equals => present && r.Values.Contains(value),
        Op.In => present && r.Values.Contains(value),
        Op.NotEquals => !present || !r.Values.Contains(value),
        Op.NotIn => !present || !r.Values.Contains(value),
        Op.Exists => present,
        Op.NotExists => !present,
        _ => false,
    };

    private static Requirement ParseLabelRequirement(string part, string whole)
    {
        Match m;
        if ((m = SetTerm().Match(part)).Success)
        {
            var values = m.Groups["values"].Value.Split(',').Select(v => v.Trim()).ToList();
            var op = m.Groups["op"].Value == "notin" ? Op.NotIn : Op.In;
            return Checked(new Requirement(m.Groups["key"].Value, op, values), whole);
        }
        if ((m = EqualityTerm().Match(part)).Success)
        {
            var op = m.Groups["op"].Value == "!=" ? Op.NotEquals : Op.Equals;
            return Checked(new Requirement(m.Groups["key"].Value, op, [m.Groups["value"].Value.Trim()]), whole);
        }
        if ((m = ExistsTerm().Match(part)).Success)
        {
            var op = m.Groups["not"].Success ? Op.NotExists : Op.Exists;
            return Checked(new Requirement(m.Groups["key"].Value, op, []), whole);
        }
        throw ApiException.BadRequest($"unable to parse requirement: found '{part}' in label selector \"{whole}\"");
    }

    private static Requirement Checked(Requirement r, string whole)
    {
        if (!LabelKey().IsMatch(r.Key) || r.Key.Length > 316)
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{r.Key}\" in label selector \"{whole}\"");
        }
        foreach (var v in r.Values)
        {
            if (v.Length > 63 || !LabelValue().IsMatch(v))
            {
                throw ApiException.BadRequest($"unable to parse requirement: invalid label value: \"{v}\" in label selector \"{whole}\"");
            }
        }
        return r;
    }

    /// <summary>Splits on commas that are not inside the parentheses of an in/notin set.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s+(?<op>in|notin)\s+\((?<values>[^()]*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s*(?<op>==|=|!=)\s*(?<value>[^\s!=(),]*)$")]
    private static partial Regex EqualityTerm();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[^\s!=(),]+)$")]
    private static partial Regex ExistsTerm();

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9_.\-/]*)\s*(?<op>==|=|!=)\s*(?<value>[^,=!]*)$")]
    private static partial Regex FieldTerm();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();
}
