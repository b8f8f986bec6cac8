namespace Greengrass.Api;

/// <summary>Finalizers the operator puts on the Greengrass resources so it can clean up before they go.</summary>
public static class Finalizers
{
    /// <summary>On a Component: held while a Deployment still uses the component version.</summary>
    public const string Component = GreengrassApi.Group + "/component";

    /// <summary>On a Deployment: removes its components from the targeted devices' plans before deletion.</summary>
    public const string Deployment = GreengrassApi.Group + "/deployment";

    /// <summary>On a CoreDevice: removes its pod, plan, identity and RBAC before deletion.</summary>
    public const string CoreDevice = GreengrassApi.Group + "/core-device";

    /// <summary>On a ClientDevice: revokes its certificate and associations before deletion.</summary>
    public const string ClientDevice = GreengrassApi.Group + "/client-device";
}
