using BenchmarkDotNet.Attributes;
using Greengrass.Model.Recipes;
using YamlDotNet.Core;

namespace Greengrass.Model.Benchmarks;

/// <summary>
/// Parses a typical YAML and a typical JSON recipe (two manifests, artifacts, dependencies, configuration); the YAML
/// one also through the YamlDotNet fallback, and as a tree only.
/// </summary>
[MemoryDiagnoser]
public class RecipeParsingBenchmarks
{
    private const string YamlRecipe = """
        ---
        RecipeFormatVersion: 2020-01-25
        ComponentName: com.example.PubSubPublisher
        ComponentVersion: 1.2.0
        ComponentDescription: Publishes sensor readings to a local topic over IPC.
        ComponentPublisher: Example Corp
        ComponentConfiguration:
          DefaultConfiguration:
            topic: sensors/temperature
            intervalSeconds: 5
            accessControl:
              aws.greengrass.ipc.pubsub:
                com.example.PubSubPublisher:pubsub:1:
                  policyDescription: Allows publishing sensor readings.
                  operations:
                    - aws.greengrass#PublishToTopic
                  resources:
                    - sensors/temperature
        ComponentDependencies:
          aws.greengrass.Nucleus:
            VersionRequirement: '>=2.5.0 <2.14.0'
            DependencyType: SOFT
        Manifests:
          - Platform:
              os: linux
            Lifecycle:
              Install:
                Script: python3 -m pip install --user awsiotsdk
                Timeout: 300
              Run: python3 -u {artifacts:path}/publisher.py --topic "{configuration:/topic}"
            Artifacts:
              - URI: s3://DOC-EXAMPLE-BUCKET/pubsub/publisher.py
                Digest: 0ay9Cj6yWfV1r1Z2f3vFQ8n5a9kUaU3Gg0B7Xv6qz1E=
                Algorithm: SHA-256
          - Platform:
              os: windows
            Lifecycle:
              Run: py -3 -u {artifacts:path}/publisher.py --topic "{configuration:/topic}"
            Artifacts:
              - URI: s3://DOC-EXAMPLE-BUCKET/pubsub/publisher.py
        """;

    private static readonly string JsonRecipe = RecipeWriter.ToJson(RecipeReader.Parse(YamlRecipe));

    // The same recipe behind a %YAML directive, which the fast reader leaves to YamlDotNet: the fallback path.
    private const string YamlRecipeWithDirective = "%YAML 1.2\n" + YamlRecipe;

    [Benchmark]
    public Recipe ParseYamlRecipe() => RecipeReader.Parse(YamlRecipe, "publisher.yaml");

    [Benchmark]
    public Recipe ParseYamlRecipeFallback() => RecipeReader.Parse(YamlRecipeWithDirective, "publisher.yaml");

    [Benchmark]
    public Recipe ParseJsonRecipe() => RecipeReader.Parse(JsonRecipe, "publisher.json");

    // The fast reader alone: text to SourceNode tree, without binding.
    [Benchmark]
    public object ReadYamlTreeOnly() => YamlSourceParser.Parse(YamlRecipe);

    // Baseline: the YamlDotNet event parser alone over the same text, the floor of the YAML path.
    [Benchmark]
    public int ScanYamlEventsOnly()
    {
        var parser = new Parser(new StringReader(YamlRecipe));
        var events = 0;
        while (parser.MoveNext())
        {
            events++;
        }

        return events;
    }
}
