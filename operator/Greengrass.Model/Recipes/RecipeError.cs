namespace Greengrass.Model.Recipes;

/// <summary>One problem found in a recipe.</summary>
/// <param name="Path">Field path in documented names, e.g. <c>Manifests[1].Artifacts[0].Unarchive</c>; empty for the whole document.</param>
/// <param name="Message">What is wrong, e.g. <c>expected a number, found "ten"</c>.</param>
/// <param name="Line">1-based line in the source text, 0 when unknown.</param>
/// <param name="Column">1-based column in the source text, 0 when unknown.</param>
/// <param name="Source">The file or resource name the text came from, when known.</param>
public sealed record RecipeError(string Path, string Message, int Line, int Column, string? Source)
{
    /// <summary>The error as <c>source:line:column: path: message</c>.</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{Source ?? "recipe"}:{Line}:{Column}" : Source ?? "recipe";
        return Path.Length == 0 ? $"{where}: {Message}" : $"{where}: {Path}: {Message}";
    }
}

/// <summary>A recipe could not be read; <see cref="Errors"/> lists every problem found.</summary>
public sealed class RecipeException : Exception
{
    /// <summary>Creates the exception from one or more errors.</summary>
    public RecipeException(IReadOnlyList<RecipeError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with one error, without a position.</summary>
    public RecipeException(string message)
        : this([new RecipeError(string.Empty, message, 0, 0, null)])
    {
    }

    /// <summary>Creates an exception without errors (prefer the other constructors).</summary>
    public RecipeException()
        : this("invalid recipe")
    {
    }

    /// <summary>Creates the exception with one error and an inner exception.</summary>
    public RecipeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new RecipeError(string.Empty, message, 0, 0, null)];
    }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<RecipeError> Errors { get; }
}
