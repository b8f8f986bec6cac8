using Greengrass.Model.Versions;

namespace Greengrass.Model.Resolution;

/// <summary>Builds the structured errors; every message names the component, the requirements and their owners.</summary>
internal static class ResolutionMessages
{
    public static ResolutionError Unsatisfiable(CatalogComponent component, List<RequirementSource> requirements)
    {
        var available = Available(component);
        var alone = requirements.Find(r => component.Matching(r.Requirement).IsEmpty);
        if (alone is not null)
        {
            return new ResolutionError(ResolutionErrorKind.NoMatchingVersion, component.Name,
                $"component \"{component.Name}\": no available version satisfies {alone} (available: {List(available)})",
                [alone], available, []);
        }

        var involved = ConflictingPair(component, requirements) ?? requirements;
        var verb = involved.Count == 2 ? "cannot both be satisfied" : "cannot all be satisfied";
        return new ResolutionError(ResolutionErrorKind.Conflict, component.Name,
            $"component \"{component.Name}\": {Join(involved)} {verb} (available: {List(available)})",
            [.. involved], available, []);
    }

    public static ResolutionError ChosenVersionRejected(CatalogComponent component, int chosen, List<RequirementSource> requirements,
        RequirementSource rejecting)
    {
        var all = VersionSet.Full(component.Versions.Length);
        foreach (var requirement in requirements)
        {
            all = all.Intersect(component.Matching(requirement.Requirement));
        }

        if (all.IsEmpty)
        {
            return Unsatisfiable(component, requirements);
        }

        var earlier = requirements.Where(r => !ReferenceEquals(r, rejecting)).ToList();
        var available = Available(component);
        return new ResolutionError(ResolutionErrorKind.Conflict, component.Name,
            $"component \"{component.Name}\": version {component.Versions[chosen].Version} chosen for {Join(earlier)} "
            + $"does not satisfy {rejecting} (available: {List(available)})",
            [.. requirements], available, []);
    }

    public static ResolutionError NotFound(string componentName, List<RequirementSource> requirements)
    {
        var needed = requirements.Where(r => r.IsDeployment || r.Kind == DependencyKind.Hard).ToList();
        return new ResolutionError(ResolutionErrorKind.NotFound, componentName,
            $"component \"{componentName}\" has no version in the catalogue; needed by {Join(needed)}",
            [.. requirements], [], []);
    }

    public static ResolutionError Cycle(IReadOnlyList<string> path, IReadOnlyList<RequirementSource> edges)
    {
        var first = path[0][..path[0].LastIndexOf('@')];
        return new ResolutionError(ResolutionErrorKind.Cycle, first,
            $"dependency cycle: {string.Join(" → ", path)} → {first}", edges, [], path);
    }

    public static string GaveUp(int attempts, ResolutionError first) =>
        $"no combination of versions found after trying {attempts} candidate versions; first dead end: {first.Message}";

    public static ResolutionError Unexplained() =>
        new(ResolutionErrorKind.Conflict, string.Empty, "no combination of versions satisfies every requirement", [], [], []);

    private static List<RequirementSource>? ConflictingPair(CatalogComponent component, List<RequirementSource> requirements)
    {
        for (var i = 0; i < requirements.Count; i++)
        {
            for (var j = i + 1; j < requirements.Count; j++)
            {
                var both = component.Matching(requirements[i].Requirement).Intersect(component.Matching(requirements[j].Requirement));
                if (both.IsEmpty)
                {
                    return [requirements[i], requirements[j]];
                }
            }
        }

        return null;
    }

    private static SemanticVersion[] Available(CatalogComponent component) =>
        [.. component.Versions.Select(v => v.Version).Reverse()];

    private static string List(IEnumerable<SemanticVersion> versions) => string.Join(", ", versions);

    private static string Join(IReadOnlyList<RequirementSource> requirements) => requirements.Count switch
    {
        0 => "nothing",
        1 => requirements[0].ToString(),
        _ => string.Join(", ", requirements.Take(requirements.Count - 1)) + " and " + requirements[^1],
    };
}
