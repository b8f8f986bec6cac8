using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Model.Configuration;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Components;
using Greengrass.Planning;
using k8s;
using ApiDeployment = Greengrass.Api.Deployment;
using Contracts = Greengrass.Nucleus.Contracts;
using ModelRecipes = Greengrass.Model.Recipes;

namespace Greengrass.Operator.Devices;

/// <summary>Everything a device plan is computed from.</summary>
internal sealed record DevicePlanInput(
    CoreDevice Device,
    IReadOnlyList<ApiDeployment> Deployments,
    IReadOnlyList<Component> Components,
    DevicePlatform Platform,
    DevicePlan? Previous,
    DateTimeOffset Now,
    IReadOnlyList<MqttClientDevicePlan>? ClientDevices = null);

/// <summary>A computed plan, or why there is none (reason is a <see cref="ConditionReasons"/> value).</summary>
internal sealed record DevicePlanResult(DevicePlan? Plan, string? ErrorReason, string? ErrorMessage, IReadOnlyList<string> InvolvedDeployments)
{
    public bool Succeeded => Plan is not null;

    public static DevicePlanResult Failed(string reason, string message, IEnumerable<string>? deployments = null) =>
        new(null, reason, message, [.. deployments ?? []]);
}

/// <summary>
/// Computes a CoreDevice's plan: the union of every Deployment targeting it, dependencies resolved
/// against the namespace's Components, the manifest chosen for the node's platform, configuration
/// merged (only a deployment's root components get its reset and merge). Pure: the same input gives
/// the same plan; the revision moves only when the plan's content changes.
/// </summary>
internal static class DevicePlanBuilder
{
    public static DevicePlanResult Build(DevicePlanInput input)
    {
        if (AwsAccessValidation.Error(input.Device.Spec) is { } awsError)
        {
            return DevicePlanResult.Failed(ConditionReasons.InvalidSpec, awsError);
        }

        var deployments = input.Deployments.OrderBy(d => d.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(d => d.Metadata.Name, StringComparer.Ordinal).ToList();
        var recipes = new Dictionary<(string Name, string Version), Recipe>();
        var catalog = new ComponentCatalogBuilder();
        foreach (var component in input.Components)
        {
            Recipe recipe;
            try
            {
                recipe = ComponentRecipeMapper.ToRecipe(component.Spec, component.Metadata.Name);
            }
            catch (RecipeException)
            {
                continue; // an invalid Component is reported on itself and is simply not available
            }

            if (recipes.TryAdd((recipe.ComponentName, recipe.ComponentVersion), recipe))
            {
                catalog.Add(recipe.ComponentName, recipe.ComponentVersion, [.. (recipe.ComponentDependencies ?? new Dictionary<string, ModelRecipes.ComponentDependency>())
                    .Select(d => (d.Key, d.Value.VersionRequirement, d.Value.EffectiveDependencyType == ModelRecipes.DependencyType.Soft ? DependencyKind.Soft : DependencyKind.Hard))]);
            }
        }

        var roots = new List<RootRequirement>();
        foreach (var deployment in deployments)
        {
            foreach (var (name, entry) in deployment.Spec.Components ?? new Dictionary<string, DeploymentComponent>())
            {
                if (!VersionRange.TryParse(entry.Version, out var range, out var error))
                {
                    return DevicePlanResult.Failed(ConditionReasons.InvalidSpec,
                        $"deployment \"{deployment.Metadata.Name}\": components.{name}.version: {error}", [deployment.Metadata.Name]);
                }

                roots.Add(new RootRequirement(deployment.Metadata.Name, name, range));
            }
        }

        var resolution = DependencyResolver.Resolve(new ResolutionRequest(roots, catalog.Build()));
        if (resolution.Error is { } failure)
        {
            return DevicePlanResult.Failed(ReasonOf(failure.Kind), failure.Message,
                failure.Requirements.Where(r => r.IsDeployment).Select(r => r.Owner).Distinct());
        }

        var planned = new List<PlannedComponent>();
        foreach (var resolved in resolution.Components)
        {
            var recipe = recipes[(resolved.Name, resolved.Version.ToString())];
            var manifest = PlatformMatcher.SelectManifest(recipe, input.Platform);
            if (manifest is null)
            {
                return DevicePlanResult.Failed(ConditionReasons.NoMatchingManifest,
                    $"component \"{recipe.ComponentName}\" {recipe.ComponentVersion} has no manifest for the platform of the device's node ({input.Platform})",
                    resolved.Sources.Where(s => deployments.Any(d => d.Metadata.Name == s)));
            }

            planned.Add(Plan(recipe, manifest, resolved, deployments));
        }

        var mqtt = MqttPlanBuilder.Build(input.Device, planned, input.ClientDevices ?? []);
        if (mqtt.Error is { } mqttError)
        {
            return DevicePlanResult.Failed(ConditionReasons.InvalidSpec, mqttError);
        }

        return new DevicePlanResult(Stamp(input, deployments, planned, mqtt.Plan), null, null, []);
    }

    private static PlannedComponent Plan(Recipe recipe, PlatformManifest manifest, ResolvedComponent resolved, List<ApiDeployment> deployments)
    {
        JsonObject? configuration = null;
        Api.RunWith? runWith = null;
        var defaults = recipe.ComponentConfiguration?.DefaultConfiguration;
        foreach (var deployment in deployments)
        {
            if (deployment.Spec.Components?.TryGetValue(recipe.ComponentName, out var entry) != true || entry is null)
            {
                continue;
            }

            var update = new Model.Configuration.ConfigurationUpdate(entry.ConfigurationUpdate?.Reset?.ToList() ?? [], entry.ConfigurationUpdate?.Merge);
            configuration = ConfigurationMerger.Apply(defaults, configuration, update).Configuration;
            runWith = entry.RunWith ?? runWith;
        }

        configuration ??= ConfigurationMerger.Apply(defaults, null, null).Configuration;
        return RecipePlanMapper.ToPlanned(recipe, manifest, resolved) with
        {
            Configuration = configuration,
            RunWith = runWith is null ? null : new Contracts.RunWith
            {
                PosixUser = runWith.PosixUser,
                SystemResourceLimits = runWith.SystemResourceLimits is null ? null
                    : new Contracts.SystemResourceLimits { Cpus = runWith.SystemResourceLimits.Cpus, Memory = runWith.SystemResourceLimits.Memory },
            },
        };
    }

    private static DevicePlan Stamp(DevicePlanInput input, List<ApiDeployment> deployments, List<PlannedComponent> components, MqttPlan? mqtt)
    {
        var newest = deployments.LastOrDefault();
        var policies = PoliciesOf(newest?.Spec.Policies);
        var restart = components.Any(c => c.ComponentType is Contracts.ComponentType.Plugin or Contracts.ComponentType.Nucleus)
            && !SameRestartSet(input.Previous, components);
        var draft = new DevicePlan
        {
            SchemaVersion = DevicePlan.CurrentSchemaVersion,
            ThingName = input.Device.Spec.ThingName,
            // A device no Deployment gives anything to (yet) still gets a valid, empty plan.
            DeploymentId = deployments.Count == 0 ? "none" : string.Join(",", deployments.Select(d => $"{d.Metadata.Name}@{d.Metadata.Generation}")),
            Revision = 0,
            CreationTimestamp = DateTimeOffset.UnixEpoch,
            GroupId = $"{input.Device.Metadata.NamespaceProperty}/{input.Device.Metadata.Name}",
            Policies = policies,
            RequiresNucleusRestart = restart,
            Components = components,
            Mqtt = mqtt,
        };

        // Revision and timestamp are not part of the content: an unchanged plan keeps both. Nor is the restart flag,
        // which is computed against the previous plan and would otherwise flip on the next, unchanged, build.
        if (input.Previous is { } previous && ContentHash(previous with { RequiresNucleusRestart = false }) == ContentHash(draft with { RequiresNucleusRestart = false }))
        {
            return previous;
        }

        return draft with { Revision = (input.Previous?.Revision ?? 0) + 1, CreationTimestamp = input.Now };
    }

    /// <summary>Hash of a plan without its revision and timestamp: equal hashes mean nothing to apply.</summary>
    public static string ContentHash(DevicePlan plan) =>
        Hash(ContractJson.SerializePlan(plan with { Revision = 0, CreationTimestamp = DateTimeOffset.UnixEpoch }));

    private static bool SameRestartSet(DevicePlan? previous, List<PlannedComponent> components)
    {
        static string Key(IEnumerable<PlannedComponent> set) => string.Join(";", set
            .Where(c => c.ComponentType is Contracts.ComponentType.Plugin or Contracts.ComponentType.Nucleus)
            .Select(c => $"{c.Name}@{c.Version}").Order(StringComparer.Ordinal));
        return previous is not null && Key(previous.Components) == Key(components);
    }

    private static Contracts.DeploymentPolicies PoliciesOf(Api.DeploymentPolicies? policies) => new()
    {
        FailureHandling = policies?.FailureHandling == "DO_NOTHING" ? FailureHandlingPolicy.DoNothing : FailureHandlingPolicy.Rollback,
        ComponentUpdate = new Contracts.ComponentUpdatePolicy
        {
            Action = policies?.ComponentUpdate?.Action == "SKIP_NOTIFY_COMPONENTS" ? ComponentUpdateAction.SkipNotifyComponents : ComponentUpdateAction.NotifyComponents,
            TimeoutSeconds = policies?.ComponentUpdate?.TimeoutSeconds ?? 60,
        },
        ConfigurationValidation = new Contracts.ConfigurationValidationPolicy { TimeoutSeconds = policies?.ConfigurationValidation?.TimeoutSeconds ?? 30 },
    };

    private static string ReasonOf(ResolutionErrorKind kind) => kind switch
    {
        ResolutionErrorKind.Conflict => ConditionReasons.VersionConflict,
        ResolutionErrorKind.NotFound => ConditionReasons.ComponentNotFound,
        _ => ConditionReasons.DependencyUnresolved,
    };

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
