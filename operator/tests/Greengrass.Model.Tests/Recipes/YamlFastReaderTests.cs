using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class YamlFastReaderTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Recipes", "Corpus");

    // The corpus recipes written with YAML features the fast reader leaves to YamlDotNet, and why.
    private static readonly Dictionary<string, string> CorpusFallbacks = new(StringComparer.Ordinal)
    {
        ["yaml-anchors.yaml"] = "anchors and aliases",
    };

    public static TheoryData<string> YamlCorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(YamlCorpusFiles))]
    public void TryRead_CorpusRecipe_GivesYamlDotNetTreeOrFallsBackOnlyWhereListed(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(CorpusDirectory, fileName));

        var fast = YamlDifferential.AssertSameAsYamlDotNet(text);

        Assert.Equal(!CorpusFallbacks.ContainsKey(fileName), fast);
    }

    [Theory]
    [MemberData(nameof(YamlCorpusFiles))]
    public void TryRead_CorpusRecipeWithCrlfAndCommentsAndMarkers_GivesYamlDotNetTree(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(CorpusDirectory, fileName)).ReplaceLineEndings("\n");
        var variants = new[]
        {
            text.ReplaceLineEndings("\r\n"),
            "# leading comment\n\n" + text.TrimEnd('\n'),
            (text.StartsWith("---", StringComparison.Ordinal) ? text : "---\n" + text) + "...\n# done\n",
            text.Replace(":\n", ":   # trailing comment\n\n", StringComparison.Ordinal),
        };

        Assert.All(variants, v => Assert.Equal(!CorpusFallbacks.ContainsKey(fileName), YamlDifferential.AssertSameAsYamlDotNet(v)));
    }

    [Theory]
    [InlineData("a: b\nc: 1\nd: -2.5e3\ne: true\nf: ~\ng: null\nh:\ni: 2020-01-25\nj: 1.0.0\nk: yes\nl: 007\n")]
    [InlineData("a:\n  - 1\n  -\n  - x\nb:\n- q\n- - n\n  - m\n- k: v\n  m:\n-   deep: 1\n    more: 2\n")]
    [InlineData("'a b': 'it''s'\n\"c\": \"tab\\there \\u00e9 \\x41 \\U0001F600 \\\\ \\\" \\/ \\0 \\N \\_ \\L \\P \\e \\a \\b \\v \\f \\r \\n\"\n")]
    [InlineData("run: |\n  line 1\n    indented\n\n  line 3\nnext: x\n")]
    [InlineData("a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: >\n  folded\n  text\n\n  para\nd: >-\n  z\n")]
    [InlineData("a: |\n\n  after empty\n\n")]
    [InlineData("a: |\n  no final break")]
    [InlineData("- |\n  in a list\n- >\n  folded in a list\n-   k: |\n      deep\n")]
    [InlineData("a: [x, 'y', \"z\", [1, 2], {k: v, 'q': [ ]}, {}]\nb: {os: linux, arch: '*'}\n")]
    [InlineData("{RecipeFormatVersion: 2020-01-25, ComponentName: a, Manifests: [{}]}")]
    [InlineData("# only a comment\n---\na: b # c\n# between\n  # indented comment\nd: e#f\n...\n")]
    [InlineData("a: s3://bucket/key.zip\nb: python3 {artifacts:path}/x --flag \"q\" 'r'\nc: x:y\nd: -x\ne: a - b\nf: x?\ng: x:y\n")]
    [InlineData("  a: 1\n  b:\n     c: 2\n")]
    [InlineData("température: °C\nemoji: 😀 x\n\"😀\": [😀, b]\n")]
    [InlineData("a : 1\nb  :  2\n")]
    [InlineData("just a scalar\n")]
    [InlineData("- a\n- b\n")]
    public void TryRead_SupportedYaml_IsReadFastAndEqualsYamlDotNet(string text)
    {
        Assert.True(YamlDifferential.AssertSameAsYamlDotNet(text), "expected the fast path to read it");
        Assert.True(YamlDifferential.AssertSameAsYamlDotNet(text.ReplaceLineEndings("\r\n")), "expected the fast path to read the CRLF form");
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("? complex\n: key\n")]
    [InlineData("%YAML 1.2\n---\na: b\n")]
    [InlineData("a:\n\tb: c\n")]
    [InlineData("a: multi\n  line plain\n")]
    [InlineData("a: 'multi\n  line'\n")]
    [InlineData("a: [x,\n  y]\n")]
    [InlineData("a: |2\n   x\n")]
    [InlineData("a: >\n  x\n    more\n  y\n")]
    [InlineData("a: b\n---\nc: d\n")]
    [InlineData("a: \"\\uD800\"\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: \"never closed\nb: c\n")]
    [InlineData("a:\n  b: 1\n c: 2\n")]
    [InlineData("a: [x, ]\n")]
    [InlineData("a: [k: v]\n")]
    [InlineData("a: {k}\n")]
    [InlineData("a: x\u0085y\n")]
    [InlineData("a: x\ry\n")]
    [InlineData("")]
    [InlineData("---\n")]
    [InlineData("|-\n,  x\n  y\n")]
    [InlineData("a *b: c\n")]
    [InlineData("{a *b: c}\n")]
    [InlineData("x: |\n  \n  y\n")]
    [InlineData("- :colon\n")]
    public void TryRead_OutsideTheFastSubsetOrMalformed_FallsBackToYamlDotNet(string text)
    {
        Assert.False(YamlDifferential.AssertSameAsYamlDotNet(text));
    }

    [Fact]
    public void Parse_MalformedYaml_ReportsTheYamlDotNetPosition()
    {
        const string text = "a: 'never closed\nb: c\n";

        var parse = Assert.Throws<SourceSyntaxException>(() => YamlSourceParser.Parse(text));
        var reference = Assert.Throws<SourceSyntaxException>(() => YamlSourceParser.ParseEvents(text));

        Assert.Equal((reference.Message, reference.Line, reference.Column), (parse.Message, parse.Line, parse.Column));
    }

    [Fact]
    public void Read_RecipeWithByteOrderMark_EqualsTheRecipeWithout()
    {
        var text = File.ReadAllText(Path.Combine(CorpusDirectory, "pubsub-publisher.yaml"));

        Assert.Equal(RecipeReader.Parse(text), RecipeReader.Parse("\uFEFF" + text));
        Assert.Equal(RecipeReader.Parse(text), RecipeReader.Parse("\uFEFF" + text.ReplaceLineEndings("\r\n")));
    }
}
