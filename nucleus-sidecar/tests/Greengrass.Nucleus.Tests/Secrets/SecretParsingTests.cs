using System.Text.Json.Nodes;
using Greengrass.Nucleus.Secrets;
using static Greengrass.Nucleus.Tests.Secrets.SecretFixture;

namespace Greengrass.Nucleus.Tests.Secrets;

/// <summary>Secret ARNs and names, the cloudSecrets configuration and the GG_SECRETS mapping.</summary>
public sealed class SecretParsingTests
{
    [Theory]
    [InlineData(DbArn, "db-password")]
    [InlineData(ApiArn, "prod/api-key")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:plain", "plain")]
    [InlineData("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:a-b", "a-b")]
    public void NameOf_StripsTheSixCharacterSuffix(string arn, string name)
    {
        Assert.True(SecretArns.IsArn(arn));
        Assert.Equal(name, SecretArns.NameOf(arn));
    }

    [Theory]
    [InlineData("db-password")]
    [InlineData("arn:aws:secretsmanager:eu-west-1:12345:secret:x")]
    [InlineData("arn:aws:s3:eu-west-1:123456789012:secret:x")]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:")]
    public void IsArn_NotASecretArn_False(string text) => Assert.False(SecretArns.IsArn(text));

    [Fact]
    public void CloudSecrets_ListOrJsonText_ArnsInOrderIgnoringCase()
    {
        var list = JsonNode.Parse($$"""[{"arn":"{{DbArn}}","labels":["prod"]},{"ARN":"{{ApiArn}}"}]""");

        Assert.Equal([DbArn, ApiArn], CloudSecrets.Parse(list).Arns);
        Assert.Equal([DbArn, ApiArn], CloudSecrets.Parse(JsonValue.Create(list!.ToJsonString())).Arns);
        Assert.Empty(CloudSecrets.Parse(null).Arns);
    }

    [Fact]
    public void CloudSecrets_BadEntries_SkippedWithTheirIndex()
    {
        var (arns, problems) = CloudSecrets.Parse(JsonNode.Parse($$"""[{"arn":"nope"},{"arn":"{{DbArn}}"},"x"]"""));

        Assert.Equal([DbArn], arns);
        Assert.Equal(["cloudSecrets[0].arn", "cloudSecrets[2].arn"], problems.Select(p => p.Split(' ')[0]));
        Assert.Single(CloudSecrets.Parse(JsonNode.Parse("""{"arn":"x"}""")).Problems);
    }

    [Fact]
    public void Mappings_ValidJson_ArnsAndFolders()
    {
        var mapped = SecretMappings.Parse($$"""[{"arn":"{{DbArn}}","path":"/etc/greengrass/secrets/db"}]""");

        Assert.Equal([new MappedSecret(DbArn, "/etc/greengrass/secrets/db")], mapped);
        Assert.Empty(SecretMappings.FromEnvironment(_ => null));
    }

    [Theory]
    [InlineData("{", "GG_SECRETS is not a JSON list")]
    [InlineData("""[{"arn":"x","path":"/p"}]""", "GG_SECRETS[0].arn")]
    [InlineData("""[{"arn":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:a"}]""", "GG_SECRETS[0].path")]
    [InlineData("""[{"arn":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:a","path":"/p"},{"arn":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:a","path":"/q"}]""", "GG_SECRETS[1].arn repeats")]
    public void Mappings_Invalid_FormatExceptionNamingTheEntry(string json, string start) =>
        Assert.StartsWith(start, Assert.Throws<FormatException>(() => SecretMappings.Parse(json)).Message, StringComparison.Ordinal);
}
