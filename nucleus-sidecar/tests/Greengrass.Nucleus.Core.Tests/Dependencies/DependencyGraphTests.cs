using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;

namespace Greengrass.Nucleus.Core.Tests.Dependencies;

public sealed class DependencyGraphTests
{
    private static DependencyGraph Graph(params (string Name, string[] Hard)[] nodes) =>
        DependencyGraph.From(nodes.Select(n => (n.Name, (IReadOnlyList<PlannedDependency>)
            n.Hard.Select(h => new PlannedDependency { Name = h }).ToList())));

    [Fact]
    public void StartOrder_Chain_DependenciesFirst()
    {
        var graph = Graph(("C", ["B"]), ("B", ["A"]), ("A", []));

        Assert.Equal(["A", "B", "C"], graph.StartOrder());
        Assert.Equal(["C", "B", "A"], graph.StopOrder());
    }

    [Fact]
    public void StartOrder_Diamond_StableByNameAmongPeers()
    {
        var graph = Graph(("top", ["left", "right"]), ("right", ["base"]), ("left", ["base"]), ("base", []), ("alone", []));

        Assert.Equal(["alone", "base", "left", "right", "top"], graph.StartOrder());
    }

    [Fact]
    public void StartOrder_UnknownDependency_IgnoredForOrdering()
    {
        var graph = Graph(("app", ["elsewhere"]));

        Assert.Equal(["app"], graph.StartOrder());
    }

    [Fact]
    public void Cycle_Detected_NamesThePathAndStartOrderThrows()
    {
        var graph = Graph(("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("d", []));

        Assert.Equal(["a", "b", "c", "a"], graph.Cycle);
        var error = Assert.Throws<DependencyCycleException>(() => graph.StartOrder());
        Assert.Contains("a -> b -> c -> a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cycle_SelfDependency_Detected()
    {
        Assert.Equal(["a", "a"], Graph(("a", ["a"])).Cycle);
    }

    [Fact]
    public void Cycle_None_Null()
    {
        Assert.Null(Graph(("a", ["b"]), ("b", [])).Cycle);
    }

    [Fact]
    public void HardDependentsOf_FollowsHardEdgesOnly()
    {
        var graph = DependencyGraph.From(
        [
            ("base", (IReadOnlyList<PlannedDependency>)[]),
            ("hard", [new PlannedDependency { Name = "base" }]),
            ("soft", [new PlannedDependency { Name = "base", Type = DependencyType.Soft }]),
            ("top", [new PlannedDependency { Name = "hard" }]),
        ]);

        Assert.Equal(["hard", "top"], graph.HardDependentsOf("base").Order());
        Assert.Equal(["hard", "soft"], graph.DependentsOf("base"));
    }

    [Theory]
    [InlineData(DependencyType.Hard, ComponentState.Running, false, true)]
    [InlineData(DependencyType.Hard, ComponentState.Finished, false, true)]
    [InlineData(DependencyType.Hard, ComponentState.Stopping, false, true)]
    [InlineData(DependencyType.Hard, ComponentState.Stopping, true, false)]
    [InlineData(DependencyType.Hard, ComponentState.Starting, false, false)]
    [InlineData(DependencyType.Hard, ComponentState.Installed, false, false)]
    [InlineData(DependencyType.Hard, ComponentState.Errored, false, false)]
    [InlineData(DependencyType.Hard, ComponentState.Broken, false, false)]
    [InlineData(DependencyType.Hard, ComponentState.New, false, false)]
    [InlineData(DependencyType.Hard, null, false, false)]
    [InlineData(DependencyType.Soft, ComponentState.Broken, false, true)]
    [InlineData(DependencyType.Soft, null, false, true)]
    public void IsReady_Table_MatchesGreengrass(DependencyType type, ComponentState? state, bool afterStartupError, bool ready)
    {
        Assert.Equal(ready, DependencyReadiness.IsReady(type, state, afterStartupError));
    }
}
