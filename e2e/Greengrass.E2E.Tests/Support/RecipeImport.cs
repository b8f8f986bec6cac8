using Greengrass.Api;
using k8s;

namespace Greengrass.E2E.Tests.Support;

/// <summary>
/// Greengrass recipe files turned into Component resources the way users do it, <c>greengrass recipe import -n NS FILE...</c>
/// (the operator executable), and applied to the cluster.
/// </summary>
internal static class RecipeImport
{
    public static string FixtureRecipe(string fileName) => Path.Combine(Repository.Root, "e2e", "fixtures", "components", "recipes", fileName);

    public static async Task<IReadOnlyList<Component>> ApplyAsync(GreengrassCluster gg, string ns, params string[] recipeFiles)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Repository.OperatorDll, "recipe", "import", "--namespace", ns, .. recipeFiles])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"greengrass recipe import exited with {process.ExitCode}: {await error}");
        }

        var created = new List<Component>();
        foreach (var node in ResourceYaml.ToJsonAll(await output))
        {
            var component = KubernetesJson.Deserialize<Component>(node.ToJsonString());
            created.Add(await gg.CreateAsync(component, GreengrassApi.ComponentPlural));
        }

        return created;
    }
}
