using Greengrass.Api;
using Greengrass.Operator.Devices;
using k8s.Models;

namespace Greengrass.Operator.Tests.Devices;

public sealed class DeviceBuildersTests
{
    private static readonly NucleusPodSettings Settings = new("registry.local/nucleus:1.0.0", "1.0.0");

    internal static CoreDevice Device(string name = "edge-a", Action<CoreDeviceSpec>? configure = null)
    {
        var spec = new CoreDeviceSpec { ThingName = "EdgeA", Placement = new Placement { NodeName = "node-1" } };
        configure?.Invoke(spec);
        return new CoreDevice
        {
            ApiVersion = GreengrassApi.ApiVersion,
            Kind = GreengrassApi.CoreDeviceKind,
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "fleet", Uid = "uid-1", Generation = 3 },
            Spec = spec,
        };
    }

    [Fact]
    public void NucleusPod_IsPinnedGatedOwnedAndRestricted()
    {
        var pod = NucleusPodBuilder.Build(Device(), Settings);

        Assert.Equal("edge-a-nucleus", pod.Metadata.Name);
        Assert.Equal("fleet", pod.Metadata.NamespaceProperty);
        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Equal(ConditionTypes.PodComponentsReady, Assert.Single(pod.Spec.ReadinessGates).ConditionType);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.True(owner.Controller);
        Assert.Equal("uid-1", owner.Uid);
        Assert.Equal("edge-a-nucleus", pod.Spec.ServiceAccountName);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Contains(container.Env, e => e.Name == "GG_THING_NAME" && e.Value == "EdgeA");
        Assert.Contains(container.Env, e => e.Name == "GG_PLAN_CONFIGMAP" && e.Value == "edge-a-plan");
        Assert.Equal("/var/lib/greengrass/fleet/edge-a", Assert.Single(pod.Spec.Volumes, v => v.Name == "root").HostPath.Path);
    }

    [Fact]
    public void NucleusPod_NodeSelectorAndTolerations_ArePassedThrough()
    {
        var pod = NucleusPodBuilder.Build(Device(configure: s => s.Placement = new Placement
        {
            NodeSelector = new Dictionary<string, string> { ["site"] = "north" },
            Tolerations = [new V1Toleration { Key = "edge", OperatorProperty = "Exists", Effect = "NoSchedule" }],
        }), Settings);

        Assert.Null(pod.Spec.NodeName);
        Assert.Equal("north", pod.Spec.NodeSelector["site"]);
        Assert.Equal("edge", Assert.Single(pod.Spec.Tolerations).Key);
    }

    [Fact]
    public void NucleusPod_SpecHash_ChangesOnlyWithTheSpec()
    {
        var first = NucleusPodBuilder.Build(Device(), Settings);
        var same = NucleusPodBuilder.Build(Device(), Settings);
        var newImage = NucleusPodBuilder.Build(Device(configure: s => s.Nucleus = new NucleusSettings { Image = "registry.local/nucleus:1.1.0" }), Settings);

        var newVersion = NucleusPodBuilder.Build(Device(configure: s => s.Nucleus = new NucleusSettings { Version = "1.1.0" }), Settings);

        Assert.False(NucleusPodBuilder.NeedsReplacement(first, same));
        Assert.True(NucleusPodBuilder.NeedsReplacement(first, newImage));
        Assert.True(NucleusPodBuilder.NeedsReplacement(first, newVersion));
    }

    [Fact]
    public void Rbac_RoleIsLimitedByResourceNamesToTheDevicesOwnObjects()
    {
        var role = DeviceRbacBuilder.BuildRole(Device());

        Assert.All(role.Rules, rule => Assert.NotEmpty(rule.ResourceNames));
        Assert.DoesNotContain(role.Rules, rule => rule.Verbs.Contains("create") || rule.Verbs.Contains("delete"));
        var names = role.Rules.SelectMany(r => r.ResourceNames).ToHashSet();
        Assert.Equal(["edge-a", "edge-a-nucleus", "edge-a-plan"], names.Order(StringComparer.Ordinal));
        var binding = DeviceRbacBuilder.BuildRoleBinding(Device());
        Assert.Equal("edge-a-nucleus", binding.RoleRef.Name);
        Assert.Equal("fleet", Assert.Single(binding.Subjects).NamespaceProperty);
    }
}
