namespace Greengrass.Model.Versions;

internal enum ComparatorOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
}

/// <summary>One primitive comparison, the unit every range form desugars to.</summary>
internal readonly record struct Comparator(ComparatorOperator Operator, SemanticVersion Version)
{
    public bool Test(SemanticVersion candidate)
    {
        var order = candidate.CompareTo(Version);
        return Operator switch
        {
            ComparatorOperator.Less => order < 0,
            ComparatorOperator.LessOrEqual => order <= 0,
            ComparatorOperator.Greater => order > 0,
            ComparatorOperator.GreaterOrEqual => order >= 0,
            _ => order == 0,
        };
    }

    public override string ToString()
    {
        var symbol = Operator switch
        {
            ComparatorOperator.Less => "<",
            ComparatorOperator.LessOrEqual => "<=",
            ComparatorOperator.Greater => ">",
            ComparatorOperator.GreaterOrEqual => ">=",
            _ => "=",
        };
        return symbol + Version;
    }
}
