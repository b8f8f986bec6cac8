namespace Greengrass.Api;

/// <summary>Identity of the Greengrass custom resource API: group, version, kinds and plurals.</summary>
public static class GreengrassApi
{
    /// <summary>The API group of every Greengrass custom resource.</summary>
    public const string Group = "greengrass.edge.dev";

    /// <summary>The served and stored API version.</summary>
    public const string Version = "v1alpha1";

    /// <summary>The <c>apiVersion</c> field of every Greengrass custom resource: group/version.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The category all four kinds share, so <c>kubectl get greengrass</c> lists them together.</summary>
    public const string Category = "greengrass";

    /// <summary>Kind of a component version.</summary>
    public const string ComponentKind = "Component";

    /// <summary>Kind of a list of component versions.</summary>
    public const string ComponentListKind = "ComponentList";

    /// <summary>Plural (URL path segment) of <see cref="ComponentKind"/>.</summary>
    public const string ComponentPlural = "components";

    /// <summary>Short name of <see cref="ComponentKind"/> for kubectl.</summary>
    public const string ComponentShortName = "ggcomp";

    /// <summary>Kind of a deployment (the desired component set of a target).</summary>
    public const string DeploymentKind = "Deployment";

    /// <summary>Kind of a list of deployments.</summary>
    public const string DeploymentListKind = "DeploymentList";

    /// <summary>Plural (URL path segment) of <see cref="DeploymentKind"/>.</summary>
    public const string DeploymentPlural = "deployments";

    /// <summary>Short name of <see cref="DeploymentKind"/> for kubectl; <c>deployments</c> alone means apps/v1.</summary>
    public const string DeploymentShortName = "ggdeploy";

    /// <summary>Kind of a Greengrass core device (one nucleus pod on one edge node).</summary>
    public const string CoreDeviceKind = "CoreDevice";

    /// <summary>Kind of a list of core devices.</summary>
    public const string CoreDeviceListKind = "CoreDeviceList";

    /// <summary>Plural (URL path segment) of <see cref="CoreDeviceKind"/>.</summary>
    public const string CoreDevicePlural = "coredevices";

    /// <summary>Short name of <see cref="CoreDeviceKind"/> for kubectl.</summary>
    public const string CoreDeviceShortName = "ggcore";

    /// <summary>Kind of an MQTT client device.</summary>
    public const string ClientDeviceKind = "ClientDevice";

    /// <summary>Kind of a list of client devices.</summary>
    public const string ClientDeviceListKind = "ClientDeviceList";

    /// <summary>Plural (URL path segment) of <see cref="ClientDeviceKind"/>.</summary>
    public const string ClientDevicePlural = "clientdevices";

    /// <summary>Short name of <see cref="ClientDeviceKind"/> for kubectl.</summary>
    public const string ClientDeviceShortName = "ggclient";
}
