namespace Greengrass.Nucleus.Contracts;

/// <summary>Checks a plan for what JSON typing cannot: versions, empty names, duplicates, dangling dependencies, bad timeouts.</summary>
public static class DevicePlanValidator
{
    /// <summary>Lists every problem of the plan, each naming its field; empty when the plan is valid.</summary>
    /// <param name="plan">The plan to check.</param>
    /// <returns>Problems in the form <c>field.path: what is wrong</c>.</returns>
    public static IReadOnlyList<string> Validate(DevicePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<string>();
        if (plan.SchemaVersion != DevicePlan.CurrentSchemaVersion)
        {
            errors.Add($"schemaVersion: {plan.SchemaVersion} is not supported (this build reads {DevicePlan.CurrentSchemaVersion})");
        }

        RequireText(errors, "thingName", plan.ThingName);
        RequireText(errors, "deploymentId", plan.DeploymentId);
        RequireText(errors, "groupId", plan.GroupId);
        if (plan.Revision < 0)
        {
            errors.Add($"revision: must not be negative, was {plan.Revision}");
        }

        if (plan.Policies.ComponentUpdate.TimeoutSeconds < 1)
        {
            errors.Add("policies.componentUpdate.timeoutSeconds: must be at least 1");
        }

        if (plan.Policies.ConfigurationValidation.TimeoutSeconds < 1)
        {
            errors.Add("policies.configurationValidation.timeoutSeconds: must be at least 1");
        }

        ValidateComponents(plan.Components, errors);
        MqttPlanValidator.Validate(plan.Mqtt, errors);
        return errors;
    }

    private static void ValidateComponents(IReadOnlyList<PlannedComponent> components, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var nucleusCount = 0;
        for (var i = 0; i < components.Count; i++)
        {
            var component = components[i];
            var at = $"components[{i}]";
            RequireText(errors, $"{at}.name", component.Name);
            RequireText(errors, $"{at}.version", component.Version);
            if (!string.IsNullOrWhiteSpace(component.Name) && !names.Add(component.Name))
            {
                errors.Add($"{at}.name: '{component.Name}' appears more than once");
            }

            nucleusCount += component.ComponentType == ComponentType.Nucleus ? 1 : 0;
            ValidateLifecycle(component.Lifecycle, $"{at}.lifecycle", errors);
            ValidateArtifacts(component.Artifacts, at, errors);
        }

        if (nucleusCount > 1)
        {
            errors.Add("components: more than one component of type aws.greengrass.nucleus");
        }

        for (var i = 0; i < components.Count; i++)
        {
            var dependencies = components[i].Dependencies;
            for (var j = 0; j < dependencies.Count; j++)
            {
                if (!names.Contains(dependencies[j].Name))
                {
                    errors.Add($"components[{i}].dependencies[{j}].name: '{dependencies[j].Name}' is not a component of the plan");
                }
            }
        }
    }

    private static void ValidateLifecycle(LifecycleDefinition lifecycle, string at, List<string> errors)
    {
        if (lifecycle.ErrorResetTimeSeconds is < 1)
        {
            errors.Add($"{at}.errorResetTimeSeconds: must be at least 1");
        }

        ValidateStep(lifecycle.Bootstrap, $"{at}.bootstrap", errors);
        ValidateStep(lifecycle.Install, $"{at}.install", errors);
        ValidateStep(lifecycle.Startup, $"{at}.startup", errors);
        ValidateStep(lifecycle.Run, $"{at}.run", errors);
        ValidateStep(lifecycle.Shutdown, $"{at}.shutdown", errors);
        ValidateStep(lifecycle.Recover, $"{at}.recover", errors);
    }

    private static void ValidateStep(LifecycleStep? step, string at, List<string> errors)
    {
        if (step is null)
        {
            return;
        }

        RequireText(errors, $"{at}.script", step.Script);
        if (step.TimeoutSeconds is < 1)
        {
            errors.Add($"{at}.timeoutSeconds: must be at least 1, was {step.TimeoutSeconds}");
        }

        if (step.SkipIf is { } skipIf && !IsValidSkipIf(skipIf))
        {
            errors.Add($"{at}.skipIf: '{skipIf}' must be 'onpath <executable>' or 'exists <file>'");
        }
    }

    private static bool IsValidSkipIf(string skipIf)
    {
        var text = skipIf.Trim().TrimStart('!');
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        var verb = text[..space];
        return verb is "onpath" or "exists" && text[space..].Trim().Length > 0;
    }

    private static void ValidateArtifacts(IReadOnlyList<PlannedArtifact> artifacts, string at, List<string> errors)
    {
        for (var i = 0; i < artifacts.Count; i++)
        {
            RequireText(errors, $"{at}.artifacts[{i}].uri", artifacts[i].Uri);
            if (artifacts[i].Digest is not null && string.IsNullOrWhiteSpace(artifacts[i].Algorithm))
            {
                errors.Add($"{at}.artifacts[{i}].algorithm: required when a digest is given");
            }
        }
    }

    private static void RequireText(List<string> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{field}: must not be empty");
        }
    }
}
