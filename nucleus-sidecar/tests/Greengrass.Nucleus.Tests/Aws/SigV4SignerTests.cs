using System.Globalization;
using Greengrass.Nucleus.Aws;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// The signer against published AWS values: the Signature Version 4 test suite (get-vanilla,
/// get-vanilla-query-order-key-case; credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service") and
/// the "GET Object" example of the Amazon S3 API reference (examplebucket, test.txt, bytes=0-9, 2013-05-24).
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SuiteTime = Time("20150830T123600Z");
    private static readonly AwsCredentials S3ExampleCredentials = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private static DateTimeOffset Time(string amzDate) =>
        DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static SigV4Signature SignSuite(string query) => SigV4Signer.Sign(
        new SigV4Request("GET", "/", query, new Dictionary<string, string> { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = "20150830T123600Z" }, SigV4Signer.EmptyPayloadHash),
        SuiteCredentials, "us-east-1", "service", SuiteTime);

    [Fact]
    public void Sign_GetVanilla_MatchesTheTestSuite()
    {
        var signature = SignSuite("");

        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + SigV4Signer.EmptyPayloadHash, signature.CanonicalRequest);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            signature.Authorization);
    }

    [Fact]
    public void Sign_GetVanillaQueryOrderKeyCase_SortsTheQueryAndMatchesTheTestSuite()
    {
        var signature = SignSuite("Param2=value2&Param1=value1");

        Assert.Contains("\nParam1=value1&Param2=value2\n", signature.CanonicalRequest);
        Assert.Equal("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", signature.Signature);
    }

    [Fact]
    public void Sign_S3GetObjectExample_MatchesCanonicalRequestStringToSignAndSignature()
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = "examplebucket.s3.amazonaws.com",
            ["range"] = "bytes=0-9",
            ["x-amz-content-sha256"] = SigV4Signer.EmptyPayloadHash,
            ["x-amz-date"] = "20130524T000000Z",
        };

        var signature = SigV4Signer.Sign(
            new SigV4Request("GET", "/test.txt", "", headers, SigV4Signer.EmptyPayloadHash), S3ExampleCredentials, "us-east-1", "s3", Time("20130524T000000Z"));

        Assert.Equal(
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:" + SigV4Signer.EmptyPayloadHash +
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" + SigV4Signer.EmptyPayloadHash,
            signature.CanonicalRequest);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
            signature.StringToSign);
        Assert.Equal("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", signature.Signature);
    }

    [Fact]
    public void Sign_OtherSecret_GivesAnotherSignature()
    {
        var other = SigV4Signer.Sign(
            new SigV4Request("GET", "/", "", new Dictionary<string, string> { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" }, SigV4Signer.EmptyPayloadHash),
            new AwsCredentials("AKIDEXAMPLE", "another-secret"), "us-east-1", "service", SuiteTime);

        Assert.NotEqual("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", other.Signature);
    }

    [Fact]
    public void Sign_HeaderValues_TrimmedAndInnerSpacesCollapsed()
    {
        var signature = SigV4Signer.Sign(
            new SigV4Request("GET", "/", "", new Dictionary<string, string> { ["Host"] = "h", ["My-Header"] = "  a   b  c ", ["x-amz-date"] = "20150830T123600Z" }, SigV4Signer.EmptyPayloadHash),
            SuiteCredentials, "us-east-1", "service", SuiteTime);

        Assert.Contains("\nmy-header:a b c\n", signature.CanonicalRequest);
        Assert.Equal("host;my-header;x-amz-date", signature.SignedHeaders);
    }

    [Fact]
    public void Signature_AndCredentialsText_NeverContainTheSecret()
    {
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-value");
        var signature = SignSuite("");

        Assert.DoesNotContain(credentials.SecretAccessKey, signature.ToString());
        Assert.DoesNotContain(credentials.SecretAccessKey, credentials.ToString());
        Assert.DoesNotContain("session-token-value", credentials.ToString());
        Assert.Contains("AKIDEXAMPLE", credentials.ToString());
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b=c&d", "a%2Bb%3Dc%26d")]
    [InlineData("Az09-_.~", "Az09-_.~")]
    [InlineData("ü", "%C3%BC")]
    public void UriEncode_KeepsOnlyUnreservedCharacters(string value, string expected) =>
        Assert.Equal(expected, SigV4Signer.UriEncode(value));
}
