namespace Greengrass.Api;

/// <summary>Annotation keys the operator and the nucleus read or write.</summary>
public static class Annotations
{
    /// <summary>On a plan ConfigMap and its nucleus pod: the revision of the device plan it carries.</summary>
    public const string PlanRevision = GreengrassApi.Group + "/plan-revision";

    /// <summary>On a plan ConfigMap: a hash of the plan content, so an unchanged plan is not rewritten.</summary>
    public const string PlanHash = GreengrassApi.Group + "/plan-hash";

    /// <summary>On a plan ConfigMap: <c>"true"</c> when applying the plan needs a controlled nucleus restart.</summary>
    public const string RestartRequired = GreengrassApi.Group + "/restart-required";

    /// <summary>On a Component imported from a recipe file: the recipe's original file name, for export.</summary>
    public const string RecipeSource = GreengrassApi.Group + "/recipe-source";
}
