using Greengrass.Peers;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>A fact that needs the npm S3 peers; skipped with the install hint when they are missing.</summary>
internal sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (S3Peer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
