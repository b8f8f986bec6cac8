namespace Greengrass.Model.Recipes;

/// <summary>The outcome of reading a recipe: the recipe and the problems that did not stop it (e.g. ignored keys).</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Warnings">Ignored keys and similar, in document order.</param>
public sealed record RecipeReadResult(Recipe Recipe, IReadOnlyList<RecipeError> Warnings);

/// <summary>
/// Reads Greengrass recipes from JSON or YAML text with the nucleus's rules: keys and enum values are
/// case-insensitive, unknown top-level keys are ignored (reported as warnings), and an unquoted YAML
/// <c>2020-01-25</c> is a string.
/// </summary>
public static class RecipeReader
{
    /// <summary>Reads a recipe and throws on any error.</summary>
    /// <param name="text">The recipe text; JSON when it starts with <c>{</c>, YAML otherwise.</param>
    /// <param name="sourceName">The file or resource name used in error messages.</param>
    /// <exception cref="RecipeException">The recipe is malformed; every error found is listed.</exception>
    public static Recipe Parse(string text, string? sourceName = null) => Read(text, sourceName).Recipe;

    /// <summary>Reads a recipe, returning the warnings as well; throws on any error.</summary>
    /// <param name="text">The recipe text; JSON when it starts with <c>{</c>, YAML otherwise.</param>
    /// <param name="sourceName">The file or resource name used in error messages.</param>
    /// <exception cref="RecipeException">The recipe is malformed; every error found is listed.</exception>
    public static RecipeReadResult Read(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.TrimStart('\uFEFF');
        var context = new BindContext(sourceName);
        try
        {
            var recipe = new RecipeBinder(context).Bind(ParseDocument(text));
            return recipe is not null && context.Errors.Count == 0
                ? new RecipeReadResult(recipe, [.. context.Warnings.OrderBy(e => e.Line).ThenBy(e => e.Column)])
                : throw new RecipeException([.. context.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
        }
        catch (SourceSyntaxException e)
        {
            throw new RecipeException([new RecipeError(string.Empty, e.Message, e.Line, e.Column, sourceName)]);
        }
    }

    // Text starting with '{' is JSON; a YAML flow mapping also starts with '{', so when strict JSON fails and
    // YAML reads it, YAML wins. Otherwise the JSON error is the one to report.
    private static SourceNode ParseDocument(string text)
    {
        if (!IsJson(text))
        {
            return YamlSourceParser.Parse(text);
        }

        try
        {
            return JsonSourceParser.Parse(text);
        }
        catch (SourceSyntaxException)
        {
            try
            {
                return YamlSourceParser.Parse(text);
            }
            catch (SourceSyntaxException)
            {
            }

            throw;
        }
    }

    /// <summary>Whether <paramref name="text"/> is read as JSON: its first non-blank character is <c>{</c>.</summary>
    public static bool IsJson(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '\uFEFF')
            {
                return c == '{';
            }
        }

        return false;
    }
}
