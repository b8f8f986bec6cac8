using System.Security.Cryptography;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>
/// A recipe's <c>Digest</c> + <c>Algorithm</c> pair: the Java <c>MessageDigest</c> name and the standard Base64
/// of the raw hash. Verification applies only when both are present (local recipes often carry neither).
/// </summary>
internal sealed record ArtifactDigest(HashAlgorithmName Algorithm, string AlgorithmName, byte[] Expected)
{
    public string ExpectedBase64 => Convert.ToBase64String(Expected);

    /// <exception cref="ArtifactException">Unknown algorithm or a digest that is not Base64.</exception>
    public static ArtifactDigest? From(ArtifactSpec spec, string artifactName)
    {
        if (string.IsNullOrWhiteSpace(spec.Digest) || string.IsNullOrWhiteSpace(spec.Algorithm))
        {
            return null;
        }

        var algorithm = spec.Algorithm.Trim().ToUpperInvariant() switch
        {
            "SHA-256" or "SHA256" => HashAlgorithmName.SHA256,
            "SHA-384" or "SHA384" => HashAlgorithmName.SHA384,
            "SHA-512" or "SHA512" => HashAlgorithmName.SHA512,
            "SHA-1" or "SHA1" or "SHA" => HashAlgorithmName.SHA1,
            "MD5" => HashAlgorithmName.MD5,
            _ => throw new ArtifactException(ArtifactErrorCodes.InvalidArtifact,
                $"{artifactName}: Algorithm '{spec.Algorithm}' is not supported (use SHA-256, SHA-384, SHA-512, SHA-1 or MD5)."),
        };
        try
        {
            return new ArtifactDigest(algorithm, spec.Algorithm.Trim(), Convert.FromBase64String(spec.Digest.Trim()));
        }
        catch (FormatException)
        {
            throw new ArtifactException(ArtifactErrorCodes.InvalidArtifact, $"{artifactName}: Digest '{spec.Digest}' is not standard Base64.");
        }
    }

    public IncrementalHash CreateHasher() => IncrementalHash.CreateHash(Algorithm);

    public bool Matches(byte[] actual) => CryptographicOperations.FixedTimeEquals(actual, Expected);

    public async Task<byte[]> HashFileAsync(string path, CancellationToken ct)
    {
        using var hasher = CreateHasher();
        await using var stream = File.OpenRead(path);
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hasher.AppendData(buffer, 0, read);
        }

        return hasher.GetHashAndReset();
    }
}
