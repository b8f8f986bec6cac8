using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Greengrass.Nucleus.Mqtt.Auth;

/// <summary>
/// One client device session: the thing a certificate authenticated as, and the context that last confirmed the
/// certificate is attached to it.
/// </summary>
internal sealed class ClientDeviceSession(string thingName, X509Certificate2 certificate, ClientDeviceAuthContext verifiedWith)
{
    private volatile ClientDeviceAuthContext _verifiedWith = verifiedWith;

    public string ThingName { get; } = thingName;

    public X509Certificate2 Certificate { get; } = certificate;

    public ClientDeviceAuthContext VerifiedWith
    {
        get => _verifiedWith;
        set => _verifiedWith = value;
    }
}

/// <summary>
/// The auth tokens of <c>GetClientDeviceAuthToken</c>, as Greengrass's session manager keeps them: opaque random ids,
/// no time limit, at most <c>maxActiveAuthTokens</c> of them, the least recently used dropped first. Held in memory
/// only, so a nucleus restart ends every session (brokers then ask for a new token, as after a Greengrass restart).
/// </summary>
internal sealed class ClientDeviceSessions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Token, ClientDeviceSession Session)>> _byToken = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Token, ClientDeviceSession Session)> _byUse = new(); // most recent first

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byToken.Count;
            }
        }
    }

    /// <summary>Opens a session and returns its token; the least recently used sessions beyond <paramref name="capacity"/> end.</summary>
    public string Create(ClientDeviceSession session, int capacity)
    {
        var token = new Guid(RandomNumberGenerator.GetBytes(16)).ToString();
        lock (_gate)
        {
            _byToken[token] = _byUse.AddFirst((token, session));
            while (_byToken.Count > Math.Max(1, capacity))
            {
                _byToken.Remove(_byUse.Last!.Value.Token);
                _byUse.RemoveLast();
            }
        }

        return token;
    }

    /// <summary>The session of <paramref name="token"/> (now the most recently used), or null when it is unknown or ended.</summary>
    public ClientDeviceSession? Find(string token)
    {
        lock (_gate)
        {
            if (!_byToken.TryGetValue(token, out var node))
            {
                return null;
            }

            _byUse.Remove(node);
            _byUse.AddFirst(node);
            return node.Value.Session;
        }
    }

    public void Revoke(string token)
    {
        lock (_gate)
        {
            if (_byToken.Remove(token, out var node))
            {
                _byUse.Remove(node);
            }
        }
    }

    /// <summary>Ends every session (client device auth is no longer deployed).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _byToken.Clear();
            _byUse.Clear();
        }
    }
}
