using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Secrets;

/// <summary>
/// The secrets of <c>aws.greengrass.SecretManager</c>, served from the Kubernetes Secrets the CoreDevice maps to secret
/// ARNs. As in Greengrass, a secret is on the device only when the SecretManager's <c>cloudSecrets</c> lists it (here it
/// must also be mapped); a request names it by ARN or by name, and picks a version by id or by stage (AWSCURRENT when
/// neither is given).
/// </summary>
internal sealed class SecretService
{
    public const string ComponentName = "aws.greengrass.SecretManager";
    private readonly Dictionary<string, MappedSecret> _mapped;
    private readonly MountedSecretReader _reader = new();
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _reportedUnmapped = new(StringComparer.Ordinal);

    public SecretService(IReadOnlyList<MappedSecret> mappings, ILogger<SecretService> logger)
    {
        _mapped = mappings.ToDictionary(m => m.Arn, StringComparer.Ordinal);
        _logger = logger;
    }

    /// <summary>
    /// The ARN of the secret <paramref name="secretId"/> (an ARN or a name) among those served with
    /// <paramref name="cloudSecrets"/> configured. Authorization is checked on this ARN, after it is known to exist.
    /// </summary>
    /// <exception cref="SecretException">No secretId (InvalidRequest) or no such secret served (NotFound).</exception>
    public string Resolve(string? secretId, IReadOnlyCollection<string> cloudSecrets)
    {
        if (string.IsNullOrEmpty(secretId))
        {
            throw new SecretException(SecretErrorKind.InvalidRequest, "SecretId absent in the request");
        }

        var served = Served(cloudSecrets);
        var arn = SecretArns.IsArn(secretId)
            ? served.FirstOrDefault(a => a == secretId)
            : served.FirstOrDefault(a => SecretArns.NameOf(a) == secretId);
        return arn ?? throw new SecretException(SecretErrorKind.NotFound, $"Secret not found {secretId}");
    }

    /// <summary>The version of a served secret that <paramref name="versionId"/> or <paramref name="versionStage"/> selects.</summary>
    /// <exception cref="SecretException">Both selectors given, no such version or stage, or the mounted Secret unreadable.</exception>
    public async Task<SecretVersion> GetAsync(string arn, string? versionId, string? versionStage, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(versionId) && !string.IsNullOrEmpty(versionStage))
        {
            throw new SecretException(SecretErrorKind.InvalidRequest, "Both versionId and versionStage are set in the request; set at most one");
        }

        SecretVersion version;
        try
        {
            version = await _reader.ReadAsync(_mapped[arn], ct);
        }
        catch (SecretException ex)
        {
            SecretLog.Unavailable(_logger, arn, ex.Message);
            throw;
        }

        if (!string.IsNullOrEmpty(versionId))
        {
            return version.VersionId == versionId
                ? version
                : throw new SecretException(SecretErrorKind.NotFound, $"Version Id {versionId} not found for secret {arn}");
        }

        var stage = string.IsNullOrEmpty(versionStage) ? MountedSecretReader.CurrentStage : versionStage;
        return version.Stages.Contains(stage, StringComparer.Ordinal)
            ? version
            : throw new SecretException(SecretErrorKind.NotFound, $"Version stage {stage} not found for secret {arn}");
    }

    private List<string> Served(IReadOnlyCollection<string> cloudSecrets)
    {
        var served = new List<string>();
        foreach (var arn in cloudSecrets)
        {
            if (_mapped.ContainsKey(arn))
            {
                served.Add(arn);
            }
            else if (_reportedUnmapped.TryAdd(arn, true))
            {
                // Once per ARN: the check runs on every request.
                SecretLog.Unmapped(_logger, arn);
            }
        }

        return served;
    }
}
