namespace Greengrass.Operator.Cli;

/// <summary>
/// Dispatches the greengrass executable's arguments to a subcommand by its leading words (longest match wins), and
/// prints usage for help, unknown commands and usage errors.
/// </summary>
internal sealed class CommandLine(IReadOnlyList<ICliCommand> commands)
{
    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        if (arguments.Count == 0 || arguments[0] is "help" or "--help" or "-h")
        {
            await WriteUsageAsync(arguments.Count == 0 ? context.Error : context.Out);
            return arguments.Count == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        var command = commands
            .Where(c => c.Name.Count <= arguments.Count && c.Name.Select((word, i) => word == arguments[i]).All(match => match))
            .MaxBy(c => c.Name.Count);
        if (command is null)
        {
            await context.Error.WriteLineAsync($"greengrass: unknown command '{string.Join(' ', arguments)}'");
            await WriteUsageAsync(context.Error);
            return ExitCodes.Usage;
        }

        try
        {
            return await command.RunAsync(arguments.Skip(command.Name.Count).ToList(), context, cancellationToken);
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync($"greengrass {string.Join(' ', command.Name)}: {e.Message}");
            await context.Error.WriteLineAsync($"usage: greengrass {command.Usage}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Expected failures (an unwritable folder, a type the generator cannot map) get one line, not a stack trace.
            await context.Error.WriteLineAsync($"greengrass {string.Join(' ', command.Name)}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private async Task WriteUsageAsync(TextWriter writer)
    {
        await writer.WriteLineAsync("usage: greengrass COMMAND [ARGS]");
        await writer.WriteLineAsync();
        foreach (var command in commands.OrderBy(c => string.Join(' ', c.Name), StringComparer.Ordinal))
        {
            await writer.WriteLineAsync($"  {command.Usage,-36} {command.Summary}");
        }
    }
}
