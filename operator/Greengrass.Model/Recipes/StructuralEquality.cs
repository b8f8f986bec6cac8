using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>Deep comparisons for the collections and JSON trees held by the recipe records.</summary>
internal static class StructuralEquality
{
    public static bool ListEquals<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Order-insensitive: a map's meaning does not depend on key order.
    public static bool MapEquals<TValue>(IReadOnlyDictionary<string, TValue>? left, IReadOnlyDictionary<string, TValue>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !comparer.Equals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    public static bool NodeEquals(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);
}
