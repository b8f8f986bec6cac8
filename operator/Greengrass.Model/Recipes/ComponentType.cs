namespace Greengrass.Model.Recipes;

/// <summary>The kind of a component, written in recipes as <c>aws.greengrass.generic</c> and so on.</summary>
public enum ComponentType
{
    /// <summary><c>aws.greengrass.generic</c>: external processes driven by lifecycle scripts.</summary>
    Generic,

    /// <summary><c>aws.greengrass.lambda</c>: a Lambda function run by the Lambda launcher.</summary>
    Lambda,

    /// <summary><c>aws.greengrass.plugin</c>: code loaded into the nucleus process.</summary>
    Plugin,

    /// <summary><c>aws.greengrass.nucleus</c>: the runtime itself.</summary>
    Nucleus,
}

/// <summary>Wire strings of <see cref="ComponentType"/>.</summary>
public static class ComponentTypes
{
    private static readonly string[] WireStrings =
        ["aws.greengrass.generic", "aws.greengrass.lambda", "aws.greengrass.plugin", "aws.greengrass.nucleus"];

    /// <summary>The recipe string of <paramref name="type"/>, e.g. <c>aws.greengrass.plugin</c>.</summary>
    public static string ToWireString(this ComponentType type) => WireStrings[(int)type];

    /// <summary>
    /// Reads a component type case-insensitively, from its wire string (<c>aws.greengrass.plugin</c>) or its
    /// device-config name (<c>PLUGIN</c>).
    /// </summary>
    public static bool TryParse(string? text, out ComponentType type)
    {
        for (var i = 0; i < WireStrings.Length; i++)
        {
            type = (ComponentType)i;
            if (string.Equals(text, WireStrings[i], StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, type.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        type = default;
        return false;
    }
}
