namespace Greengrass.Operator.Cli;

/// <summary>Parses <c>--name value</c> and <c>--name=value</c> options; anything else is a usage error.</summary>
internal static class CliArguments
{
    public static Dictionary<string, string> Parse(IReadOnlyList<string> arguments, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? argument[..equals] : argument;
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown argument '{argument}'; expected {string.Join(", ", known)}");
            }

            string value;
            if (equals > 0)
            {
                value = argument[(equals + 1)..];
            }
            else if (i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = arguments[++i];
            }
            else
            {
                throw new UsageException($"{name} needs a value");
            }

            if (value.Length == 0)
            {
                throw new UsageException($"{name} needs a non-empty value");
            }

            if (!values.TryAdd(name, value))
            {
                throw new UsageException($"{name} given twice");
            }
        }

        return values;
    }
}
