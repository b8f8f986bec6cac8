using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class RecipeErrorTests
{
    // Line numbers in the texts below are 1-based; the comments give them where it helps to count.
    private const string Header = """
        RecipeFormatVersion: 2020-01-25
        ComponentName: com.example.Hello
        ComponentVersion: 1.0.0
        ComponentPublisher: Example Corp

        """;

    private static RecipeError SingleError(string text, string source = "hello.yaml")
    {
        var exception = Assert.Throws<RecipeException>(() => RecipeReader.Parse(text, source));
        return Assert.Single(exception.Errors);
    }

    private static void AssertAt(RecipeError error, string path, int line, int column)
    {
        Assert.Equal(path, error.Path);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_TimeoutNotANumber_NamesFileLineColumnAndField()
    {
        var text = Header + """
            Manifests:
              - Lifecycle:
                  Run:
                    Script: ./hello
                    Timeout: ten
            """;

        var exception = Assert.Throws<RecipeException>(() => RecipeReader.Parse(text, "hello.yaml"));

        var error = Assert.Single(exception.Errors);
        AssertAt(error, "Manifests[0].Lifecycle.Run.Timeout", 9, 18);
        Assert.Equal("hello.yaml:9:18: Manifests[0].Lifecycle.Run.Timeout: expected a number, found \"ten\"", exception.Message);
    }

    [Fact]
    public void Parse_ScalarWhereListExpected_ReportsWrongType()
    {
        var error = SingleError(Header + "Manifests: linux\n");

        AssertAt(error, "Manifests", 5, 12);
        Assert.Equal("expected a list, found \"linux\"", error.Message);
    }

    [Fact]
    public void Parse_ListWhereStringExpected_ReportsWrongType()
    {
        var error = SingleError(Header + "ComponentDescription: [a, b]\nManifests: [{}]\n");

        AssertAt(error, "ComponentDescription", 5, 23);
        Assert.Equal("expected a string, found a list", error.Message);
    }

    [Fact]
    public void Parse_UnknownKeyInsideStepObject_PointsAtTheKey()
    {
        var exception = Assert.Throws<RecipeException>(() => RecipeReader.Parse(Header + """
            Manifests:
              - Lifecycle:
                  Install:
                    Scrpit: ./install.sh
            """));

        Assert.Equal(2, exception.Errors.Count);
        var error = exception.Errors[0];
        AssertAt(error, "Manifests[0].Lifecycle.Install.Scrpit", 8, 9);
        Assert.Equal("Manifests[0].Lifecycle.Install", exception.Errors[1].Path);
        Assert.StartsWith("unknown key \"Scrpit\" in a lifecycle step", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownStepNameInManifestLifecycle_PointsAtTheKey()
    {
        var error = SingleError(Header + """
            Manifests:
              - Lifecycle:
                  Instal: ./install.sh
                  Run: ./run.sh
            """);

        AssertAt(error, "Manifests[0].Lifecycle.Instal", 7, 7);
        Assert.StartsWith("unknown lifecycle step \"Instal\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownStepUnderSelectionKey_IsRejectedButSelectionKeysAreNot()
    {
        var error = SingleError(Header + """
            Manifests:
              - Selections: [linux]
            Lifecycle:
              linux:
                Runn: ./serve
              all:
                Run: ./fallback
            """);

        AssertAt(error, "Lifecycle.linux.Runn", 9, 5);
    }

    [Fact]
    public void Parse_ManifestLifecycleWithSelectionKey_IsNotASelectionLevel()
    {
        // A manifest's own lifecycle is used verbatim, so a selection keyword there is an unknown step.
        var error = SingleError(Header + """
            Manifests:
              - Selections: [linux]
                Lifecycle:
                  linux:
                    Run: ./serve
            """);

        AssertAt(error, "Manifests[0].Lifecycle.linux", 8, 7);
    }

    [Theory]
    [InlineData("1.0", "is not a semantic version")]
    [InlineData("01.0.0", "is not a semantic version")]
    [InlineData("1.0.0-1beta", "must not start with a digit")]
    [InlineData("1000000.0.0", "at most 999999")]
    [InlineData("1.0.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "at most 64 characters")]
    public void Parse_BadComponentVersion_NamesTheVersionField(string version, string reason)
    {
        var error = SingleError($"""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Hello
            ComponentVersion: {version}
            Manifests:
              - Name: main
            """);

        AssertAt(error, "ComponentVersion", 3, 19);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(">=> 2.0.0")]
    [InlineData("2.0.0 -")]
    [InlineData("latest")]
    [InlineData("^1.0.0 ||| 2.0.0")]
    [InlineData(">=1.0.0 <abc")]
    public void Parse_BadVersionRequirement_NamesTheDependencyField(string requirement)
    {
        var error = SingleError(Header + $"""
            ComponentDependencies:
              aws.greengrass.Nucleus:
                VersionRequirement: "{requirement}"
            Manifests:
              - Name: main
            """);

        AssertAt(error, "ComponentDependencies[\"aws.greengrass.Nucleus\"].VersionRequirement", 7, 25);
        Assert.Contains("is not a version range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnterminatedYamlString_ReportsParserPosition()
    {
        var error = SingleError(Header + "ComponentDescription: \"never closed\nManifests: [{}]\n");

        Assert.Equal(string.Empty, error.Path);
        Assert.Equal(5, error.Line);
        Assert.True(error.Column > 0);
        Assert.Equal("hello.yaml", error.Source);
    }

    [Fact]
    public void Parse_InvalidJson_ReportsParserPosition()
    {
        const string text = """
            {
              "RecipeFormatVersion": "2020-01-25",
              "ComponentName": "com.example.Hello"
              "ComponentVersion": "1.0.0"
            }
            """;

        var error = SingleError(text, "hello.json");

        Assert.Equal(string.Empty, error.Path);
        Assert.Equal(4, error.Line);
        Assert.Equal(3, error.Column);
        Assert.StartsWith("hello.json:4:3: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingComponentName_PointsAtTheEnclosingObject()
    {
        var error = SingleError("""
            ---
            RecipeFormatVersion: 2020-01-25
            ComponentVersion: 1.0.0
            Manifests: [{}]
            """);

        AssertAt(error, "ComponentName", 2, 1);
        Assert.Equal("missing required field ComponentName", error.Message);
    }

    [Fact]
    public void Parse_StepObjectWithoutScript_ReportsMissingScript()
    {
        var error = SingleError(Header + """
            Manifests:
              - Lifecycle:
                  Run:
                    Timeout: 10
            """);

        AssertAt(error, "Manifests[0].Lifecycle.Run", 8, 9);
        Assert.Equal("missing required field Script", error.Message);
    }

    [Fact]
    public void Parse_ArtifactWithoutUri_ReportsMissingUri()
    {
        var error = SingleError(Header + """
            Manifests:
              - Artifacts:
                  - Unarchive: ZIP
            """);

        AssertAt(error, "Manifests[0].Artifacts[0].URI", 7, 9);
    }

    [Theory]
    [InlineData("com.example/Hello", "not a valid component name")]
    [InlineData("hello world", "not a valid component name")]
    public void Parse_BadComponentName_NamesTheNameField(string name, string reason)
    {
        var error = SingleError($"RecipeFormatVersion: 2020-01-25\nComponentName: {name}\nComponentVersion: 1.0.0\nManifests: [{{}}]\n");

        AssertAt(error, "ComponentName", 2, 16);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ComponentNameTooLong_IsRejected()
    {
        var error = SingleError($"RecipeFormatVersion: 2020-01-25\nComponentName: {new string('a', 129)}\nComponentVersion: 1.0.0\nManifests: [{{}}]\n");

        AssertAt(error, "ComponentName", 2, 16);
    }

    [Fact]
    public void Parse_EmptyManifestList_IsRejected()
    {
        var error = SingleError(Header + "Manifests: []\n");

        AssertAt(error, "Manifests", 5, 12);
        Assert.Equal("a recipe needs at least one manifest", error.Message);
    }

    [Fact]
    public void Parse_NoManifestsKey_IsRejected()
    {
        var error = SingleError(Header + "ComponentDescription: nothing to run\n");

        AssertAt(error, "Manifests", 1, 1);
    }

    [Theory]
    [InlineData("NONE,ZIP")]
    [InlineData("1")]
    [InlineData("' ZIP'")]
    public void Parse_EnumNumberOrFlagList_IsRejected(string value)
    {
        var error = SingleError(Header + $"Manifests:\n  - Artifacts:\n      - URI: s3://b/a.zip\n        Unarchive: {value}\n");

        AssertAt(error, "Manifests[0].Artifacts[0].Unarchive", 8, 20);
    }

    [Fact]
    public void Parse_BadUnarchiveValue_NamesArtifactField()
    {
        var error = SingleError(Header + """
            Manifests:
              - Platform:
                  os: linux
              - Artifacts:
                  - URI: s3://bucket/app.tar
                    Unarchive: TAR
            """);

        AssertAt(error, "Manifests[1].Artifacts[0].Unarchive", 10, 20);
        Assert.Equal("expected one of NONE, ZIP, found \"TAR\"", error.Message);
    }

    [Theory]
    [InlineData("DependencyType: MEDIUM", "ComponentDependencies[\"com.example.Dep\"].DependencyType")]
    [InlineData("VersionRequirement: 1.0.0\n    DependencyType: 1", "ComponentDependencies[\"com.example.Dep\"].DependencyType")]
    public void Parse_BadDependencyType_NamesTheField(string entry, string path)
    {
        var text = Header + $"ComponentDependencies:\n  com.example.Dep:\n    {entry}\nManifests: [{{}}]\n";

        var exception = Assert.Throws<RecipeException>(() => RecipeReader.Parse(text, "dep.yaml"));

        Assert.Contains(exception.Errors, e => e.Path == path && e.Message.StartsWith("expected one of HARD, SOFT", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BadComponentType_ListsTheWireStrings()
    {
        var error = SingleError(Header + "ComponentType: aws.greengrass.container\nManifests: [{}]\n");

        AssertAt(error, "ComponentType", 5, 16);
        Assert.Contains("aws.greengrass.generic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnsupportedArtifactScheme_IsRejected()
    {
        var error = SingleError(Header + "Manifests:\n  - Artifacts:\n      - URI: ftp://example.com/app.py\n");

        AssertAt(error, "Manifests[0].Artifacts[0].URI", 7, 14);
        Assert.Contains("scheme must be one of s3, greengrass, docker, file, http, https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateArtifactFileName_IsRejected()
    {
        var error = SingleError(Header + "Manifests:\n  - Artifacts:\n      - URI: s3://a/app.py\n      - URI: s3://b/app.py\n");

        AssertAt(error, "Manifests[0].Artifacts[1].URI", 8, 9);
    }

    [Fact]
    public void Parse_BadSkipif_IsRejected()
    {
        var error = SingleError(Header + "Manifests:\n  - Lifecycle:\n      Install:\n        Script: x\n        Skipif: when ready\n");

        AssertAt(error, "Manifests[0].Lifecycle.Install.Skipif", 9, 17);
    }

    [Fact]
    public void Parse_UnsupportedFormatVersion_IsRejected()
    {
        var error = SingleError("RecipeFormatVersion: 2021-01-01\nComponentName: a\nComponentVersion: 1.0.0\nManifests: [{}]\n");

        AssertAt(error, "RecipeFormatVersion", 1, 22);
    }

    [Fact]
    public void Parse_SameKeyInTwoCases_IsADuplicate()
    {
        var error = SingleError(Header + "componentname: other\nManifests: [{}]\n");

        AssertAt(error, "ComponentName", 5, 1);
        Assert.Contains("duplicate key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonRecipeWithBadEnum_ReportsJsonPosition()
    {
        const string text = """
            {
              "RecipeFormatVersion": "2020-01-25",
              "ComponentName": "com.example.Hello",
              "ComponentVersion": "1.0.0",
              "Manifests": [ { "Artifacts": [ { "URI": "s3://b/k.zip", "Unarchive": "RAR" } ] } ]
            }
            """;

        var error = SingleError(text, "hello.json");

        AssertAt(error, "Manifests[0].Artifacts[0].Unarchive", 5, 73);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOneInDocumentOrder()
    {
        var text = """
            RecipeFormatVersion: 2020-01-25
            ComponentName: bad name
            ComponentVersion: one
            Manifests:
              - Artifacts:
                  - URI: ftp://host/file
                Lifecycle:
                  Run:
                    Timeout: soon
            """;

        var exception = Assert.Throws<RecipeException>(() => RecipeReader.Parse(text, "many.yaml"));

        Assert.Equal(
            ["ComponentName", "ComponentVersion", "Manifests[0].Artifacts[0].URI", "Manifests[0].Lifecycle.Run", "Manifests[0].Lifecycle.Run.Timeout"],
            exception.Errors.Select(e => e.Path));
        Assert.All(exception.Errors, e => Assert.Equal("many.yaml", e.Source));
        Assert.Equal(exception.Errors.Count, exception.Message.Split('\n').Length);
    }

    [Fact]
    public void Parse_EmptyText_IsAClearError()
    {
        var error = SingleError("   \n");

        Assert.Equal("the document is empty", error.Message);
    }

    [Fact]
    public void Parse_TwoYamlDocuments_IsRejected()
    {
        var error = SingleError(Header + "Manifests:\n  - Name: a\n---\nComponentName: other\n");

        Assert.Equal((7, 1), (error.Line, error.Column));
        Assert.Equal("a recipe holds exactly one YAML document", error.Message);
    }

    [Fact]
    public void Parse_DeeplyNestedYaml_IsAClearError()
    {
        var nested = string.Concat(Enumerable.Repeat("[", 500)) + string.Concat(Enumerable.Repeat("]", 500));

        var error = SingleError(Header + "ComponentConfiguration:\n  DefaultConfiguration:\n    deep: " + nested + "\nManifests: [{}]\n");

        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasExpansionBomb_IsAClearError()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 9; i++)
        {
            lines.Add($"a{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]");
        }

        var text = Header + "ComponentConfiguration:\n  DefaultConfiguration:\n" + string.Join("\n", lines.Select(l => "    " + l)) + "\nManifests: [{}]\n";

        var error = SingleError(text);

        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_YamlFlowMappingAtTheTop_IsReadAsYaml()
    {
        var recipe = RecipeReader.Parse("{RecipeFormatVersion: 2020-01-25, ComponentName: a, ComponentVersion: 1.0.0, Manifests: [{}]}");

        Assert.Equal("a", recipe.ComponentName);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("'-5'")]
    public void Parse_TimeoutNotAWholeNonNegativeNumber_SaysSo(string timeout)
    {
        var error = SingleError(Header + $"Manifests:\n  - Lifecycle:\n      Run:\n        Script: x\n        Timeout: {timeout}\n");

        AssertAt(error, "Manifests[0].Lifecycle.Run.Timeout", 9, 18);
        Assert.StartsWith("expected a whole number of seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKeyDeepInConfiguration_NamesItsPath()
    {
        var error = SingleError(Header + """
            ComponentConfiguration:
              DefaultConfiguration:
                mqtt:
                  topics:
                    - name: a
                      name: b
            Manifests: [{}]
            """);

        AssertAt(error, "ComponentConfiguration.DefaultConfiguration.mqtt.topics[0].name", 10, 11);
        Assert.Equal("duplicate key \"name\"", error.Message);
    }

    [Fact]
    public void Parse_JsonWithAccentsBeforeTheError_CountsColumnsInCharacters()
    {
        const string text = """
            {
              "RecipeFormatVersion": "2020-01-25", "ComponentName": "com.example.Hello", "ComponentVersion": "1.0.0",
              "ComponentDescription": "température °C", "Manifests": [ { "Artifacts": [ { "URI": "ftp://x/y" } ] } ]
            }
            """;

        var error = SingleError(text, "hello.json");

        AssertAt(error, "Manifests[0].Artifacts[0].URI", 3, 86); // 88 if counted in UTF-8 bytes
    }

    [Fact]
    public void Parse_InvalidJsonAfterAccents_ReportsCharacterColumn()
    {
        var error = SingleError("{\"ComponentDescription\": \"déjà vu\" \"Manifests\": []}", "bad.json");

        Assert.Equal((1, 36), (error.Line, error.Column));
    }
}
