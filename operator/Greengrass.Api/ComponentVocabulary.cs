namespace Greengrass.Api;

/// <summary>Values of the recipe's <c>ComponentType</c>.</summary>
public static class ComponentTypes
{
    /// <summary>External processes driven by lifecycle scripts (the default).</summary>
    public const string Generic = "aws.greengrass.generic";

    /// <summary>A Lambda function run by the Lambda launcher.</summary>
    public const string Lambda = "aws.greengrass.lambda";

    /// <summary>Code loaded into the nucleus process; changing it restarts the nucleus.</summary>
    public const string Plugin = "aws.greengrass.plugin";

    /// <summary>The nucleus itself; at most one per resolved deployment.</summary>
    public const string Nucleus = "aws.greengrass.nucleus";
}

/// <summary>Values of a dependency's <c>dependencyType</c>.</summary>
public static class DependencyTypes
{
    /// <summary>Start gating and restart coupling (the default).</summary>
    public const string Hard = "HARD";

    /// <summary>Install and resolve only.</summary>
    public const string Soft = "SOFT";
}

/// <summary>Values of an artifact's <c>unarchive</c>.</summary>
public static class UnarchiveModes
{
    /// <summary>Keep the artifact as downloaded (the default).</summary>
    public const string None = "NONE";

    /// <summary>Extract the ZIP archive into the decompressed artifact folder.</summary>
    public const string Zip = "ZIP";
}

/// <summary>Values of an artifact's <c>permission.read</c> and <c>permission.execute</c>.</summary>
public static class ArtifactPermissions
{
    /// <summary>Nobody (the default for execute).</summary>
    public const string None = "NONE";

    /// <summary>The component's run-as user (the default for read).</summary>
    public const string Owner = "OWNER";

    /// <summary>Every user, so other components may use the artifact.</summary>
    public const string All = "ALL";
}

/// <summary>Values of the recipe's <c>RecipeFormatVersion</c>.</summary>
public static class RecipeFormatVersions
{
    /// <summary>The only recipe format Greengrass V2 defines.</summary>
    public const string V20200125 = "2020-01-25";
}
