using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Greengrass.Nucleus.Aws;

/// <summary>
/// What is signed: the method, the host, the path exactly as sent (already percent-encoded, RFC 3986), the raw query
/// (without '?'), the headers to sign (host and x-amz-date among them) and the hex SHA-256 of the payload.
/// </summary>
internal sealed record SigV4Request(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string PayloadHash);

/// <summary>The intermediate texts and the result of signing; the intermediates are what the AWS examples publish.</summary>
internal sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization);

/// <summary>
/// AWS Signature Version 4 (AWS4-HMAC-SHA256) for header-based authentication. Pure: the caller supplies the time.
/// The path is used as given (S3 style: no normalisation, no second encoding); the query is re-encoded and sorted.
/// </summary>
internal static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Hex SHA-256 of an empty payload: what a GET signs.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>x-amz-date format: basic ISO 8601 in UTC.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static SigV4Signature Sign(SigV4Request request, AwsCredentials credentials, string region, string service, DateTimeOffset time)
    {
        var amzDate = AmzDate(time);
        var date = amzDate[..8];
        var headers = request.Headers
            .Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: CanonicalHeaderValue(h.Value)))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', headers.Select(h => h.Name));
        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            string.IsNullOrEmpty(request.Path) ? "/" : request.Path,
            CanonicalQuery(request.Query),
            string.Concat(headers.Select(h => $"{h.Name}:{h.Value}\n")),
            signedHeaders,
            request.PayloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var signature = Hex(HMACSHA256.HashData(SigningKey(credentials.SecretAccessKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    /// <summary>Percent-encodes everything but the RFC 3986 unreserved characters (what SigV4 requires of names and values).</summary>
    public static string UriEncode(string value) => Uri.EscapeDataString(value);

    /// <summary>Each parameter decoded then encoded the SigV4 way, sorted by name and then value; a bare name gets an empty value.</summary>
    public static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: UriEncode(Uri.UnescapeDataString(p[0])), Value: UriEncode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    private static string CanonicalHeaderValue(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
