using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Greengrass.Model.Configuration;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using ModelRecipes = Greengrass.Model.Recipes;

namespace Greengrass.Nucleus.Cli;

/// <summary>A local deployment request that cannot become a plan; the message names the field or component.</summary>
internal sealed class LocalDeploymentException(string message) : Exception(message);

/// <summary>
/// Turns a local deployment (recipe folder, artifact folder, components to merge and remove, configuration updates)
/// into the next device plan: recipes are read with <c>Greengrass.Model</c>, dependencies resolved, the manifest for
/// this host selected and configuration merged; components already deployed and not named stay as they are.
/// </summary>
internal static class LocalDeploymentBuilder
{
    public static DevicePlan Build(LocalDeploymentRequest request, DevicePlan? applied, string thingName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var components = (applied?.Components ?? []).ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var name in request.RootComponentsToRemove ?? [])
        {
            if (!components.Remove(name))
            {
                throw new LocalDeploymentException($"rootComponentsToRemove: {name} is not deployed.");
            }
        }

        var toAdd = request.RootComponentVersionsToAdd ?? [];
        if (toAdd.Count > 0)
        {
            foreach (var component in Resolve(request, toAdd))
            {
                components[component.Name] = component;
            }
        }

        foreach (var (name, update) in request.ComponentToConfiguration ?? [])
        {
            if (!components.TryGetValue(name, out var component))
            {
                throw new LocalDeploymentException($"componentToConfiguration: {name} is not part of the deployment.");
            }

            components[name] = component with { Configuration = ApplyUpdate(name, component.Configuration, update) };
        }

        var policy = request.FailureHandlingPolicy?.ToUpperInvariant() switch
        {
            null or "ROLLBACK" => FailureHandlingPolicy.Rollback,
            "DO_NOTHING" => FailureHandlingPolicy.DoNothing,
            var other => throw new LocalDeploymentException($"failureHandlingPolicy: '{other}' is not ROLLBACK or DO_NOTHING."),
        };
        return new DevicePlan
        {
            SchemaVersion = DevicePlan.CurrentSchemaVersion,
            ThingName = thingName,
            DeploymentId = Guid.NewGuid().ToString(),
            Revision = (applied?.Revision ?? 0) + 1,
            CreationTimestamp = now,
            GroupId = $"thinggroup/{request.GroupName ?? "LOCAL_DEPLOYMENT"}",
            Policies = new DeploymentPolicies { FailureHandling = policy },
            Components = [.. components.Values.OrderBy(c => c.Name, StringComparer.Ordinal)],
        };
    }

    /// <summary>The platform of this host in Greengrass terms (<c>os</c>, <c>architecture</c>).</summary>
    public static DevicePlatform HostPlatform() => DevicePlatform.Create("linux", RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "arm",
        Architecture.X86 => "x86",
        var other => other.ToString().ToLowerInvariant(),
    });

    private static List<PlannedComponent> Resolve(LocalDeploymentRequest request, Dictionary<string, string> toAdd)
    {
        var recipeDirectory = request.RecipeDirectoryPath
            ?? throw new LocalDeploymentException("recipeDirectoryPath: required to add components.");
        var recipes = ReadRecipes(recipeDirectory);
        var catalog = new ComponentCatalogBuilder();
        foreach (var recipe in recipes.Values)
        {
            catalog.Add(recipe.ComponentName, recipe.ComponentVersion, [.. (recipe.ComponentDependencies ?? new Dictionary<string, ComponentDependency>())
                .Select(d => (d.Key, d.Value.VersionRequirement, d.Value.EffectiveDependencyType == ModelRecipes.DependencyType.Soft ? DependencyKind.Soft : DependencyKind.Hard))]);
        }

        var roots = toAdd.Select(kv => new RootRequirement("local", kv.Key,
            VersionRange.TryParse(kv.Value, out var range, out var error) ? range : throw new LocalDeploymentException($"rootComponentVersionsToAdd.{kv.Key}: {error}"))).ToList();
        var resolution = DependencyResolver.Resolve(new ResolutionRequest(roots, catalog.Build()));
        if (resolution.Error is { } failure)
        {
            throw new LocalDeploymentException(failure.Message);
        }

        var platform = HostPlatform();
        return [.. resolution.Components.Select(resolved =>
        {
            var recipe = recipes[(resolved.Name, resolved.Version.ToString())];
            var manifest = PlatformMatcher.SelectManifest(recipe, platform)
                ?? throw new LocalDeploymentException($"{recipe.ComponentName} {recipe.ComponentVersion} has no manifest for this host ({platform}).");
            return LocalRecipeMapper.ToPlanned(recipe, manifest, resolved, request.ArtifactsDirectoryPath);
        })];
    }

    private static Dictionary<(string, string), Recipe> ReadRecipes(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new LocalDeploymentException($"recipeDirectoryPath: {directory} does not exist.");
        }

        var recipes = new Dictionary<(string, string), Recipe>();
        foreach (var file in Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) ||
            f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            try
            {
                var recipe = RecipeReader.Parse(File.ReadAllText(file), Path.GetFileName(file));
                recipes[(recipe.ComponentName, recipe.ComponentVersion)] = recipe;
            }
            catch (RecipeException ex)
            {
                throw new LocalDeploymentException($"recipe {Path.GetFileName(file)}: {ex.Message}");
            }
        }

        return recipes;
    }

    private static JsonObject ApplyUpdate(string name, JsonObject current, JsonObject update)
    {
        var reset = update["RESET"] switch
        {
            null => [],
            JsonArray array => array.Select(p => p?.GetValue<string>() ?? "").ToList(),
            _ => throw new LocalDeploymentException($"componentToConfiguration.{name}.RESET: must be a list of JSON pointers."),
        };
        var merge = update["MERGE"] switch
        {
            null => null,
            JsonObject obj => (JsonObject)obj.DeepClone(),
            _ => throw new LocalDeploymentException($"componentToConfiguration.{name}.MERGE: must be an object."),
        };
        return ConfigurationMerger.Apply(null, (JsonObject)current.DeepClone(), new ConfigurationUpdate(reset, merge)).Configuration;
    }
}
