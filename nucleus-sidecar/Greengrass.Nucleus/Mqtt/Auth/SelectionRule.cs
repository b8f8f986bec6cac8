namespace Greengrass.Nucleus.Mqtt.Auth;

/// <summary>
/// A device-group selection rule of <c>aws.greengrass.clientdevices.Auth</c>:
/// <c>thingName: a* AND thingName: *b OR thingName: c</c>. AND binds tighter than OR, there are no
/// parentheses, and keywords are upper-case, as in the component's grammar.
/// </summary>
internal sealed class SelectionRule
{
    private readonly IReadOnlyList<IReadOnlyList<ThingNamePattern>> _anyOf;

    private SelectionRule(string text, IReadOnlyList<IReadOnlyList<ThingNamePattern>> anyOf)
    {
        Text = text;
        _anyOf = anyOf;
    }

    public string Text { get; }

    public bool Matches(string thingName) => _anyOf.Any(all => all.All(p => p.Matches(thingName)));

    /// <summary>Parses a rule; throws <see cref="FormatException"/> naming the position and what was expected.</summary>
    public static SelectionRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            throw new FormatException("selection rule is empty: expected 'thingName: <name>'");
        }

        var anyOf = new List<IReadOnlyList<ThingNamePattern>>();
        var current = new List<ThingNamePattern>();
        var expectTerm = true;
        foreach (var token in tokens)
        {
            if (expectTerm)
            {
                current.Add(ParseTerm(token, text));
                expectTerm = false;
                continue;
            }

            switch (token.Value)
            {
                case "AND":
                    break;
                case "OR":
                    anyOf.Add(current);
                    current = [];
                    break;
                default:
                    throw new FormatException(
                        $"selection rule '{text}': expected AND or OR at position {token.Position}, found '{token.Value}'");
            }

            expectTerm = true;
        }

        if (expectTerm)
        {
            throw new FormatException($"selection rule '{text}': expected 'thingName: <name>' after the last operator");
        }

        anyOf.Add(current);
        return new SelectionRule(text, anyOf);
    }

    private static ThingNamePattern ParseTerm(Token token, string text)
    {
        const string Prefix = "thingName:";
        if (!token.Value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException(
                $"selection rule '{text}': expected 'thingName:' at position {token.Position}, found '{token.Value}'");
        }

        var name = token.Value[Prefix.Length..];
        if (name.Length == 0)
        {
            throw new FormatException($"selection rule '{text}': missing thing name after 'thingName:' at position {token.Position}");
        }

        return ThingNamePattern.Parse(name, text);
    }

    /// <summary>Splits on blanks, gluing "thingName:" to the name that follows ("thingName: X" is allowed).</summary>
    private static List<Token> Tokenize(string text)
    {
        var raw = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] is ' ' or '\t' or '\r' or '\n')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && text[i] is not (' ' or '\t' or '\r' or '\n'))
            {
                i++;
            }

            raw.Add(new Token(text[start..i], start));
        }

        var glued = new List<Token>();
        for (var k = 0; k < raw.Count; k++)
        {
            if (raw[k].Value == "thingName:" && k + 1 < raw.Count && raw[k + 1].Value is not ("AND" or "OR"))
            {
                glued.Add(new Token(raw[k].Value + raw[k + 1].Value, raw[k].Position));
                k++;
            }
            else
            {
                glued.Add(raw[k]);
            }
        }

        return glued;
    }

    private readonly record struct Token(string Value, int Position);
}

/// <summary>A thing-name pattern with the component's wildcard rules: <c>*</c>, <c>X*</c>, <c>*X</c>, <c>*X*</c>, exact.</summary>
internal sealed class ThingNamePattern
{
    private readonly string _core;
    private readonly bool _leading;
    private readonly bool _trailing;

    private ThingNamePattern(string core, bool leading, bool trailing)
    {
        _core = core;
        _leading = leading;
        _trailing = trailing;
    }

    public static ThingNamePattern Parse(string name, string ruleText)
    {
        if (name == "*")
        {
            return new ThingNamePattern(string.Empty, true, true);
        }

        var leading = name.StartsWith('*');
        var trailing = name.Length > 1 && name.EndsWith('*');
        var core = name[(leading ? 1 : 0)..(trailing ? name.Length - 1 : name.Length)];
        var unescaped = new System.Text.StringBuilder(core.Length);
        for (var i = 0; i < core.Length; i++)
        {
            var c = core[i];
            if (c == '\\' && i + 1 < core.Length && core[i + 1] == ':')
            {
                unescaped.Append(':');
                i++;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                unescaped.Append(c);
            }
            else
            {
                throw new FormatException(
                    $"selection rule '{ruleText}': character '{c}' is not allowed in thing name '{name}' (letters, digits, '-', '_', '\\:' and a leading/trailing '*')");
            }
        }

        if (unescaped.Length == 0)
        {
            throw new FormatException($"selection rule '{ruleText}': thing name '{name}' has no characters besides wildcards");
        }

        return new ThingNamePattern(unescaped.ToString(), leading, trailing);
    }

    public bool Matches(string thingName) => (_leading, _trailing) switch
    {
        (true, true) => _core.Length == 0 || thingName.Contains(_core, StringComparison.Ordinal),
        (true, false) => thingName.EndsWith(_core, StringComparison.Ordinal),
        (false, true) => thingName.StartsWith(_core, StringComparison.Ordinal),
        _ => string.Equals(thingName, _core, StringComparison.Ordinal),
    };
}
