using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Tests.Api;

public sealed class DeploymentTargetsTests
{
    [Fact]
    public void Describe_NamedDevice_IsCoreDeviceSlashName()
    {
        Assert.Equal("coreDevice/gw-1", DeploymentTargets.Describe(new DeploymentSpec { CoreDeviceName = "gw-1" }));
    }

    [Fact]
    public void Describe_Selector_UsesKubectlSyntaxWithSortedLabels()
    {
        var spec = new DeploymentSpec
        {
            CoreDeviceSelector = new V1LabelSelector
            {
                MatchLabels = new Dictionary<string, string> { ["zone"] = "b", ["fleet"] = "a" },
                MatchExpressions =
                [
                    new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "NotIn", Values = ["test"] },
                    new V1LabelSelectorRequirement { Key = "gpu", OperatorProperty = "Exists" },
                    new V1LabelSelectorRequirement { Key = "old", OperatorProperty = "DoesNotExist" },
                ],
            },
        };

        Assert.Equal("fleet=a,zone=b,tier notin (test),gpu,!old", DeploymentTargets.Describe(spec));
    }

    [Fact]
    public void Describe_EmptySelector_IsAll()
    {
        Assert.Equal("all", DeploymentTargets.Describe(new DeploymentSpec { CoreDeviceSelector = new V1LabelSelector() }));
    }

    [Fact]
    public void Describe_NoTarget_IsEmpty()
    {
        Assert.Equal("", DeploymentTargets.Describe(new DeploymentSpec()));
    }
}
