using System.Net;
using System.Text.RegularExpressions;
using Greengrass.Nucleus.Aws;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>
/// Opens an S3 object for streaming with a SigV4-signed GET (like the Greengrass nucleus's S3 downloader, with the
/// device's AWS credentials). An answer naming another region (<c>x-amz-bucket-region</c>) is retried once there.
/// Errors carry the Greengrass codes (S3_GET_OBJECT_ACCESS_DENIED, …) and S3's own error code, never a secret;
/// a 5xx is thrown as <see cref="HttpRequestException"/> so the downloader retries it.
/// </summary>
internal sealed class S3ObjectReader(HttpClient http, TimeProvider time, AwsSettings? settings)
{
    /// <summary>An S3 error document is small: at most this much of an error body is read.</summary>
    private const int ErrorDocumentLimit = 16 * 1024;

    private const string DefaultCustomEndpointRegion = "us-east-1";

    public async Task<HttpResponseMessage> OpenAsync(S3ObjectLocation location, string artifactName, CancellationToken ct)
    {
        var (credentials, region, endpoint) = await ResolveAsync(artifactName, ct);
        var response = await SendAsync(location, endpoint, credentials, region, ct);
        if (endpoint is null && !response.IsSuccessStatusCode &&
            response.Headers.TryGetValues("x-amz-bucket-region", out var regions) && regions.FirstOrDefault() is { Length: > 0 } bucketRegion &&
            bucketRegion != region)
        {
            response.Dispose();
            response = await SendAsync(location, endpoint, credentials, bucketRegion, ct);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, location, artifactName, ct);
        }
    }

    private async Task<(AwsCredentials Credentials, string Region, Uri? Endpoint)> ResolveAsync(string artifactName, CancellationToken ct)
    {
        if (settings?.Credentials is not { } source)
        {
            throw new ArtifactException(ArtifactErrorCodes.DeviceConfigNotValid,
                $"{artifactName}: no AWS credentials are configured for this device, so s3:// artifacts cannot be downloaded. " +
                "Set spec.aws.credentials.secretRef or spec.aws.credentials.iotCredentialsProvider on the CoreDevice (outside Kubernetes: GG_AWS_CREDENTIALS_DIR or GG_AWS_IOT_CRED_ENDPOINT).");
        }

        var region = settings.Region;
        if (string.IsNullOrEmpty(region))
        {
            region = settings.S3Endpoint is null
                ? throw new ArtifactException(ArtifactErrorCodes.DeviceConfigNotValid,
                    $"{artifactName}: no AWS region is configured for this device; set spec.aws.region on the CoreDevice (outside Kubernetes: GG_AWS_REGION).")
                : DefaultCustomEndpointRegion;
        }

        try
        {
            return (await source.GetAsync(ct), region, settings.S3Endpoint);
        }
        catch (AwsCredentialsException ex) when (ex.IsTransient)
        {
            // An unreachable credentials provider or its 5xx: retried by the downloader like an S3 5xx.
            throw new HttpRequestException($"{artifactName}: no AWS credentials yet: {ex.Message}", ex);
        }
        catch (AwsCredentialsException ex)
        {
            throw new ArtifactException(ArtifactErrorCodes.DeviceConfigNotValid, $"{artifactName}: no usable AWS credentials: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(S3ObjectLocation location, Uri? endpoint, AwsCredentials credentials, string region, CancellationToken ct)
    {
        var target = location.TargetFor(endpoint, region);
        var now = time.GetUtcNow();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = target.Host,
            ["x-amz-date"] = SigV4Signer.AmzDate(now),
            ["x-amz-content-sha256"] = SigV4Signer.EmptyPayloadHash,
        };
        if (credentials.SessionToken is { } token)
        {
            headers["x-amz-security-token"] = token;
        }

        var signature = SigV4Signer.Sign(new SigV4Request("GET", target.Path, "", headers, SigV4Signer.EmptyPayloadHash), credentials, region, "s3", now);
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
        foreach (var (name, value) in headers.Where(h => h.Key != "host"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private static async Task<Exception> ErrorAsync(HttpResponseMessage response, S3ObjectLocation location, string artifactName, CancellationToken ct)
    {
        var status = response.StatusCode;
        var (code, message) = ParseError(await BoundedBody.ReadAsync(response, ErrorDocumentLimit, ct));
        var detail = $"{artifactName}: S3 answered {(int)status} {(code ?? status.ToString())} for GET {location}{(message is null ? "" : $": {message}")}";
        return status switch
        {
            >= HttpStatusCode.InternalServerError => new HttpRequestException(detail, null, status),
            HttpStatusCode.Forbidden => new ArtifactException(ArtifactErrorCodes.S3AccessDenied,
                $"{detail}. Check that the device's credentials allow s3:GetObject on this object."),
            HttpStatusCode.NotFound => new ArtifactException(ArtifactErrorCodes.S3NotFound, detail),
            _ => new ArtifactException(ArtifactErrorCodes.S3BadRequest, detail),
        };
    }

    internal static (string? Code, string? Message) ParseError(string body)
    {
        string? Element(string name) => Regex.Match(body, $"<{name}>([^<]{{1,512}})</{name}>") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
        return (Element("Code"), Element("Message"));
    }
}
