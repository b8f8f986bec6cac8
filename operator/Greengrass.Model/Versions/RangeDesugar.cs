namespace Greengrass.Model.Versions;

/// <summary>
/// Turns every range form into primitive comparators, the way npm's node-semver does: upper bounds are
/// exclusive <c>-0</c> floors (<c>^1.2.3</c> is <c>&gt;=1.2.3 &lt;2.0.0-0</c>), and an unconstrained part adds nothing.
/// </summary>
internal static class RangeDesugar
{
    public static void Primitive(string op, PartialVersion v, List<Comparator> output)
    {
        switch (op)
        {
            case "^":
                Caret(v, output);
                return;
            case "~" or "~>":
                Tilde(v, output);
                return;
        }

        if (v.IsFull)
        {
            output.Add(new Comparator(ToOperator(op), v.ToVersion()));
            return;
        }

        XRange(op, v, output);
    }

    public static void Hyphen(PartialVersion from, PartialVersion to, List<Comparator> output)
    {
        if (from.Major is not null)
        {
            output.Add(new Comparator(ComparatorOperator.GreaterOrEqual, from.ToVersion()));
        }

        if (to.Major is null)
        {
            return;
        }

        output.Add(to switch
        {
            { Minor: null } => Below(to.Major.Value + 1, 0, 0),
            { Patch: null } => Below(to.Major.Value, to.Minor.Value + 1, 0),
            _ => new Comparator(ComparatorOperator.LessOrEqual, to.ToVersion()),
        });
    }

    private static void XRange(string op, PartialVersion v, List<Comparator> output)
    {
        if (v.Major is not { } major)
        {
            // "*", "x", "" or ">=*": anything; "<*" and ">*": nothing.
            if (op is "<" or ">")
            {
                output.Add(Below(0, 0, 0));
            }

            return;
        }

        var minor = v.Minor ?? 0;
        switch (op)
        {
            case ">":
                output.Add(AtLeast(v.Minor is null ? major + 1 : major, v.Minor is null ? 0 : minor + 1, 0));
                return;
            case ">=":
                output.Add(AtLeast(major, minor, 0));
                return;
            case "<":
                output.Add(Below(major, minor, 0));
                return;
            case "<=":
                output.Add(v.Minor is null ? Below(major + 1, 0, 0) : Below(major, minor + 1, 0));
                return;
        }

        // "" or "=": the whole span of the missing parts.
        output.Add(AtLeast(major, minor, 0));
        output.Add(v.Minor is null ? Below(major + 1, 0, 0) : Below(major, minor + 1, 0));
    }

    private static void Tilde(PartialVersion v, List<Comparator> output)
    {
        if (v.Major is not { } major)
        {
            return;
        }

        output.Add(new Comparator(ComparatorOperator.GreaterOrEqual, v.ToVersion()));
        output.Add(v.Minor is { } minor ? Below(major, minor + 1, 0) : Below(major + 1, 0, 0));
    }

    private static void Caret(PartialVersion v, List<Comparator> output)
    {
        if (v.Major is not { } major)
        {
            return;
        }

        output.Add(new Comparator(ComparatorOperator.GreaterOrEqual, v.ToVersion()));
        if (v.Minor is not { } minor)
        {
            output.Add(Below(major + 1, 0, 0));
        }
        else if (major > 0)
        {
            output.Add(Below(major + 1, 0, 0));
        }
        else if (v.Patch is not { } patch || minor > 0)
        {
            // ^0.2.3 and ^0.0.x: the minor is the compatibility boundary below 1.0.0.
            output.Add(Below(0, minor + 1, 0));
        }
        else
        {
            output.Add(Below(0, 0, patch + 1));
        }
    }

    private static Comparator AtLeast(int major, int minor, int patch) =>
        new(ComparatorOperator.GreaterOrEqual, PartialVersion.Create(major, minor, patch));

    private static Comparator Below(int major, int minor, int patch) =>
        new(ComparatorOperator.Less, PartialVersion.Floor(major, minor, patch));

    private static ComparatorOperator ToOperator(string op) => op switch
    {
        "<" => ComparatorOperator.Less,
        "<=" => ComparatorOperator.LessOrEqual,
        ">" => ComparatorOperator.Greater,
        ">=" => ComparatorOperator.GreaterOrEqual,
        _ => ComparatorOperator.Equal,
    };
}
