using System.Net;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>
/// Copies an artifact's bytes from its URI into a local file, hashing while streaming.
/// Supports <c>file://</c>, <c>http://</c> and <c>https://</c>; the cloud-only schemes are refused.
/// </summary>
internal sealed class ArtifactDownloader(HttpClient http, TimeProvider time)
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    public static Uri ParseSupported(string uri, string artifactName)
    {
        var scheme = uri.Split(':', 2)[0].ToLowerInvariant();
        if (scheme is "docker" or "s3" or "greengrass")
        {
            throw new ArtifactException(ArtifactErrorCodes.UnsupportedScheme,
                $"{artifactName}: '{scheme}:' artifacts are unsupported here; this nucleus fetches file://, http:// and https:// URIs.");
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("file" or "http" or "https"))
        {
            throw new ArtifactException(ArtifactErrorCodes.UnsupportedScheme,
                $"{artifactName}: URI '{uri}' is unsupported here; use a file://, http:// or https:// URI.");
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
