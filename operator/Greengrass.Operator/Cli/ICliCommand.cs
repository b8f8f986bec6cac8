namespace Greengrass.Operator.Cli;

/// <summary>One subcommand of the greengrass executable, such as <c>crds generate</c> or <c>operator</c>.</summary>
internal interface ICliCommand
{
    /// <summary>The words that select the command, such as ["crds", "generate"].</summary>
    IReadOnlyList<string> Name { get; }

    /// <summary>Synopsis for the usage text, such as <c>crds generate --output DIR</c>.</summary>
    string Usage { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>Runs the command with the arguments after its name; returns the process exit code.</summary>
    /// <exception cref="UsageException">The arguments are wrong; the dispatcher prints the message and the usage.</exception>
    Task<int> RunAsync(IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken);
}

/// <summary>Where a command writes.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error);

/// <summary>Process exit codes of the greengrass executable.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

/// <summary>The command line is wrong; the message says what to change.</summary>
internal sealed class UsageException(string message) : Exception(message);
