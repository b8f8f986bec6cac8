using System.Security.Cryptography;
using System.Text;

namespace Greengrass.Nucleus.Secrets;

/// <summary>One version of a secret, as GetSecretValue returns it. Exactly one of the two values is set.</summary>
internal sealed record SecretVersion(string Arn, string VersionId, IReadOnlyList<string> Stages, string? Text, byte[]? Binary);

/// <summary>
/// Reads a secret from its mounted Kubernetes Secret: one file per key (<c>secretString</c>, <c>secretBinary</c>,
/// <c>versionId</c>, <c>versionStages</c>). The files are read on every request: they are small, and the kubelet swaps
/// them atomically when the Secret changes, so the next request sees the new value. The values are returned exactly as
/// stored (a trailing newline stays); the metadata keys are trimmed.
/// </summary>
internal sealed class MountedSecretReader
{
    public const string SecretStringKey = "secretString";
    public const string SecretBinaryKey = "secretBinary";
    public const string VersionIdKey = "versionId";
    public const string VersionStagesKey = "versionStages";
    public const string CurrentStage = "AWSCURRENT";

    // Keys the version id derived for a Secret without versionId: it changes with the value and reveals nothing about it.
    private readonly byte[] _versionKey = RandomNumberGenerator.GetBytes(32);

    public async Task<SecretVersion> ReadAsync(MappedSecret secret, CancellationToken ct)
    {
        if (!Directory.Exists(secret.Directory))
        {
            throw new SecretException(SecretErrorKind.Unavailable, $"the Kubernetes Secret mapped to {secret.Arn} is not mounted at {secret.Directory}");
        }

        var binary = await ReadBytesAsync(secret, SecretBinaryKey, ct);
        var text = binary is null ? await ReadBytesAsync(secret, SecretStringKey, ct) : null;
        if (binary is null && text is null)
        {
            throw new SecretException(
                SecretErrorKind.Unavailable, $"the Kubernetes Secret mapped to {secret.Arn} has neither a '{SecretStringKey}' nor a '{SecretBinaryKey}' key");
        }

        var value = binary ?? text!;
        var versionId = Trimmed(await ReadBytesAsync(secret, VersionIdKey, ct));
        var stages = (Trimmed(await ReadBytesAsync(secret, VersionStagesKey, ct)) ?? "")
            .Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new SecretVersion(
            secret.Arn,
            string.IsNullOrEmpty(versionId) ? DerivedVersionId(secret.Arn, value) : versionId,
            stages.Count == 0 ? [CurrentStage] : stages,
            text is null ? null : Encoding.UTF8.GetString(text),
            binary);
    }

    private string DerivedVersionId(string arn, byte[] value)
    {
        using var hmac = new HMACSHA256(_versionKey);
        var prefix = Encoding.UTF8.GetBytes(arn + "\n");
        hmac.TransformBlock(prefix, 0, prefix.Length, null, 0);
        hmac.TransformFinalBlock(value, 0, value.Length);
        return new Guid(hmac.Hash.AsSpan(0, 16)).ToString();
    }

    private static string? Trimmed(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes).Trim();

    private static async Task<byte[]?> ReadBytesAsync(MappedSecret secret, string key, CancellationToken ct)
    {
        var path = Path.Combine(secret.Directory, key);
        try
        {
            return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The exception type only: a message could quote the file.
            throw new SecretException(SecretErrorKind.Unavailable, $"the Kubernetes Secret mapped to {secret.Arn}: cannot read '{key}': {ex.GetType().Name}");
        }
    }
}
