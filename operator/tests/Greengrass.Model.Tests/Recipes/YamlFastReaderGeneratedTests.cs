namespace Greengrass.Model.Tests.Recipes;

public sealed class YamlFastReaderGeneratedTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Recipes", "Corpus");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TryRead_GeneratedVariations_GiveYamlDotNetTree(int seed)
    {
        var variations = new YamlVariations(seed);
        var fast = 0;
        const int Count = 1500;

        for (var i = 0; i < Count; i++)
        {
            fast += YamlDifferential.AssertSameAsYamlDotNet(variations.Next()) ? 1 : 0;
        }

        // The generator writes unsafe plain scalars and unsupported forms on purpose; most documents must still
        // take the fast path, or the comparison above would prove little.
        Assert.True(fast > Count / 3, $"only {fast} of {Count} generated documents took the fast path");
    }

    private static readonly string[] Pieces =
    [
        " ", "  ", "    ", "\n", "\n  ", "\n    ", "\r\n", "-", "- ", "\n- ", "\n  - ", ":", ": ", "x: ", "\n  y: ", "#", " #", "'",
        "''", "\"", "\\", "\\u00e9", "\\x4", "\\x41", "\\uD800", "\"\\n\"", "|", "|-\n", ">+\n", "|2", ">", "[", "]", "[]", "{",
        "}", "{}", ",", "&a ", "*a", "!!str ", "!x ", "? ", "---\n", "...\n", "%YAML 1.2\n", "\t", "é", "😀", "\u0085",
        "\uFEFF", "x", "a", "b c", "1", "-1", "1e999", "~", "null", "true", "2020-01-25", "RecipeFormatVersion",
    ];

    [Fact]
    public void TryRead_ConcatenatedYamlPieces_GiveYamlDotNetTreeOrFallBack()
    {
        var random = new Random(5);
        var fast = 0;

        for (var i = 0; i < 30000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            fast += YamlDifferential.AssertSameAsYamlDotNet(text) ? 1 : 0;
        }

        Assert.True(fast > 0, "no concatenated text took the fast path");
    }

    [Fact]
    public void TryRead_MutatedCorpusRecipes_GiveYamlDotNetTreeOrFallBack()
    {
        var random = new Random(11);
        var texts = Directory.GetFiles(CorpusDirectory, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var fast = 0;
        const int Count = 6000;

        for (var i = 0; i < Count; i++)
        {
            fast += YamlDifferential.AssertSameAsYamlDotNet(Mutate(texts[i % texts.Length], random)) ? 1 : 0;
        }

        Assert.True(fast > 0, "no mutated recipe took the fast path");
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new System.Text.StringBuilder(text);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(chars.Length + 1);
            switch (random.Next(3))
            {
                case 0:
                    chars.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1 when at < chars.Length:
                    chars.Remove(at, Math.Min(random.Next(1, 4), chars.Length - at));
                    break;
                default:
                    if (at < chars.Length)
                    {
                        chars.Remove(at, 1);
                    }

                    chars.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
            }
        }

        return chars.ToString();
    }
}
