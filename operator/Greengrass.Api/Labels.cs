namespace Greengrass.Api;

/// <summary>
/// Label keys the operator sets on the objects it owns. Label values are limited to 63 characters, so component
/// names (up to 128) never go into label values.
/// </summary>
public static class Labels
{
    /// <summary>Standard label naming the manager of an object.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedBy"/> on every object the operator creates.</summary>
    public const string ManagedByValue = "greengrass-operator";

    /// <summary>Standard label naming the component of the application an object belongs to.</summary>
    public const string AppComponent = "app.kubernetes.io/component";

    /// <summary>Name of the CoreDevice an object (nucleus pod, plan ConfigMap, ServiceAccount) belongs to.</summary>
    public const string CoreDevice = GreengrassApi.Group + "/core-device";

    /// <summary>Name of the ClientDevice an object (certificate Secret) belongs to.</summary>
    public const string ClientDevice = GreengrassApi.Group + "/client-device";
}
