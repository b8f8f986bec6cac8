using Greengrass.Api;
using Greengrass.Model.Recipes;
using Greengrass.Operator.Cli;
using k8s;

namespace Greengrass.Operator.Components;

/// <summary><c>greengrass recipe import [--namespace NS] FILE...</c>: prints a Component resource per Greengrass recipe file.</summary>
internal sealed class RecipeImportCommand : ICliCommand
{
    public IReadOnlyList<string> Name { get; } = ["recipe", "import"];

    public string Usage => "recipe import [--namespace NS] FILE...";

    public string Summary => "Print Component resources (YAML) for Greengrass recipe files (JSON or YAML)";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        var (ns, files) = Split(arguments);
        if (files.Count == 0)
        {
            throw new UsageException("name at least one recipe file");
        }

        var failed = false;
        var first = true;
        foreach (var file in files)
        {
            Recipe recipe;
            try
            {
                recipe = RecipeReader.Parse(await File.ReadAllTextAsync(file, cancellationToken), file);
            }
            catch (RecipeException ex)
            {
                await context.Error.WriteLineAsync(ex.Message);
                failed = true;
                continue;
            }
            catch (IOException ex)
            {
                await context.Error.WriteLineAsync($"{file}: {ex.Message}");
                failed = true;
                continue;
            }

            if (!first)
            {
                await context.Out.WriteLineAsync("---");
            }

            first = false;
            await context.Out.WriteAsync(ResourceYaml.Serialize(ComponentRecipeMapper.ToComponent(recipe, ns, file)));
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static (string? Namespace, List<string> Files) Split(IReadOnlyList<string> arguments)
    {
        string? ns = null;
        var files = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is "--namespace" or "-n")
            {
                ns = i + 1 < arguments.Count ? arguments[++i] : throw new UsageException("--namespace needs a value");
            }
            else if (arguments[i].StartsWith("--namespace=", StringComparison.Ordinal))
            {
                ns = arguments[i]["--namespace=".Length..];
            }
            else if (arguments[i].StartsWith('-') && arguments[i] != "-")
            {
                throw new UsageException($"unknown option '{arguments[i]}'");
            }
            else
            {
                files.Add(arguments[i]);
            }
        }

        return (ns, files);
    }
}

/// <summary><c>greengrass recipe export [--format yaml|json] [FILE|-]</c>: prints the Greengrass recipe of each Component resource.</summary>
internal sealed class RecipeExportCommand : ICliCommand
{
    public IReadOnlyList<string> Name { get; } = ["recipe", "export"];

    public string Usage => "recipe export [--format yaml|json] [FILE|-]";

    public string Summary => "Print the Greengrass recipe of each Component resource in FILE (or standard input)";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        var format = "yaml";
        string? file = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--format")
            {
                format = i + 1 < arguments.Count ? arguments[++i] : throw new UsageException("--format needs a value");
            }
            else if (arguments[i].StartsWith("--format=", StringComparison.Ordinal))
            {
                format = arguments[i]["--format=".Length..];
            }
            else if (file is null)
            {
                file = arguments[i];
            }
            else
            {
                throw new UsageException("name one file, or - for standard input");
            }
        }

        if (format is not ("yaml" or "json"))
        {
            throw new UsageException($"--format must be yaml or json, not '{format}'");
        }

        var text = file is null or "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(file, cancellationToken);
        // `kubectl get ggcomp -o yaml` prints a List of several objects: take its items.
        var components = ResourceYaml.ToJsonAll(text)
            .SelectMany(d => d["kind"]?.ToString() == "List" && d["items"] is System.Text.Json.Nodes.JsonArray items ? items.OfType<System.Text.Json.Nodes.JsonNode>() : [d])
            .Where(d => d?["apiVersion"]?.ToString() == GreengrassApi.ApiVersion && d["kind"]?.ToString() == GreengrassApi.ComponentKind)
            .Select(d => KubernetesJson.Deserialize<Component>(d!.ToJsonString()))
            .ToList();
        if (components.Count == 0)
        {
            await context.Error.WriteLineAsync($"{file ?? "standard input"}: no {GreengrassApi.ApiVersion} Component found");
            return ExitCodes.Failure;
        }

        var failed = false;
        foreach (var (component, index) in components.Select((c, i) => (c, i)))
        {
            try
            {
                var recipe = ComponentRecipeMapper.ToRecipe(component.Spec, component.Metadata?.Name);
                if (index > 0 && format == "yaml")
                {
                    await context.Out.WriteLineAsync("---");
                }

                await context.Out.WriteAsync(format == "json" ? RecipeWriter.ToJson(recipe) : RecipeWriter.ToYaml(recipe));
            }
            catch (RecipeException ex)
            {
                await context.Error.WriteLineAsync(ex.Message);
                failed = true;
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
