using System.Net;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>
/// Copies an artifact's bytes from its URI into a local file, hashing while streaming.
/// Supports <c>s3://</c> (SigV4-signed with the device's AWS credentials), <c>file://</c>, <c>http://</c> and
/// <c>https://</c>; <c>greengrass:</c> and <c>docker:</c> are refused with the reason.
/// </summary>
internal sealed class ArtifactDownloader(HttpClient http, TimeProvider time, AwsSettings? aws = null)
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly S3ObjectReader _s3 = new(http, time, aws);

    public static Uri ParseSupported(string uri, string artifactName)
    {
        var scheme = uri.Split(':', 2)[0].ToLowerInvariant();
        switch (scheme)
        {
            case "greengrass":
                throw new ArtifactException(ArtifactErrorCodes.UnsupportedScheme,
                    $"{artifactName}: 'greengrass:' artifacts belong to AWS-published components and come from the Greengrass cloud " +
                    "service, which this nucleus does not use; publish the file to S3 (s3://) or an HTTP server and reference that instead.");
            case "docker":
                throw new ArtifactException(ArtifactErrorCodes.UnsupportedScheme,
                    $"{artifactName}: 'docker:' artifacts are container images pulled by aws.greengrass.DockerApplicationManager; this nucleus " +
                    "runs components as processes in its pod and pulls no images. Run the image as a Kubernetes workload, or ship the program as an s3:// or http(s):// artifact.");
            case "s3":
                S3ObjectLocation.Parse(uri, artifactName);
                break;
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("s3" or "file" or "http" or "https"))
        {
            throw new ArtifactException(scheme == "s3" ? ArtifactErrorCodes.S3UriNotValid : ArtifactErrorCodes.UnsupportedScheme,
                $"{artifactName}: URI '{uri}' is unsupported here; use an s3://, file://, http:// or https:// URI.");
        }

        return parsed;
    }

    /// <summary>Writes the artifact to <paramref name="destination"/> (created new) and returns the hash, if asked for.</summary>
    public async Task<byte[]?> DownloadAsync(Uri uri, string destination, ArtifactDigest? digest, string artifactName, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var source = await OpenAsync(uri, artifactName, ct);
                return await CopyAsync(source.Stream, destination, digest, ct);
            }
            catch (Exception ex) when (attempt < Attempts && IsTransient(ex))
            {
                File.Delete(destination);
                await Task.Delay(RetryDelay * attempt, time, ct);
            }
            catch (HttpRequestException ex) when (uri.Scheme == "s3")
            {
                throw new ArtifactException(ex.StatusCode is null ? ArtifactErrorCodes.DownloadError : ArtifactErrorCodes.S3ServerError,
                    ex.StatusCode is null ? $"{artifactName}: download from {uri.OriginalString} failed: {ex.Message}" : ex.Message, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new ArtifactException(ArtifactErrorCodes.DownloadError, $"{artifactName}: download from {uri} failed: {ex.Message}", ex);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new ArtifactException(ArtifactErrorCodes.DownloadError, $"{artifactName}: reading {uri} failed: {ex.Message}", ex);
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is HttpRequestException { StatusCode: null or >= HttpStatusCode.InternalServerError } ||
        (ex is IOException && ex is not FileNotFoundException and not DirectoryNotFoundException);

    private async Task<OpenedSource> OpenAsync(Uri uri, string artifactName, CancellationToken ct)
    {
        if (uri.IsFile)
        {
            if (!File.Exists(uri.LocalPath))
            {
                throw new ArtifactException(ArtifactErrorCodes.NotFound, $"{artifactName}: {uri.LocalPath} does not exist.");
            }

            return new OpenedSource(File.OpenRead(uri.LocalPath), null);
        }

        if (uri.Scheme == "s3")
        {
            var s3Response = await _s3.OpenAsync(S3ObjectLocation.Parse(uri.OriginalString, artifactName), artifactName, ct);
            return new OpenedSource(await s3Response.Content.ReadAsStreamAsync(ct), s3Response);
        }

        var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw new ArtifactException(ArtifactErrorCodes.NotFound, $"{artifactName}: {uri} answered 404 Not Found.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"{uri} answered {(int)status} {status}", null, status);
        }

        return new OpenedSource(await response.Content.ReadAsStreamAsync(ct), response);
    }

    private static async Task<byte[]?> CopyAsync(Stream source, string destination, ArtifactDigest? digest, CancellationToken ct)
    {
        using var hasher = digest?.CreateHasher();
        await using var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            hasher?.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        await ThreadPoolHop.Ensure(); // the last read may have completed on a socket thread: fsync elsewhere
        target.Flush(flushToDisk: true);
        return hasher?.GetHashAndReset();
    }

    private sealed record OpenedSource(Stream Stream, HttpResponseMessage? Response) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            Response?.Dispose();
        }
    }
}
