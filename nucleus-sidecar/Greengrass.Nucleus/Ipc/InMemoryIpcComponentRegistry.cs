using System.Collections.Concurrent;
using System.Security.Cryptography;
using Greengrass.Nucleus.Ipc.Authorization;

namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// In-memory token registry used by the tests and benchmarks (the supervisor will hold the real one).
/// Tokens are 16 random uppercase letters like the Java nucleus issues.
/// </summary>
internal sealed class InMemoryIpcComponentRegistry : IIpcComponentRegistry
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IpcAccessControl> _accessControl = new(StringComparer.Ordinal);

    /// <summary>Registers a component and returns its new SVCUID.</summary>
    public string Register(string componentName, IpcAccessControl? accessControl = null)
    {
        var token = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16);
        _tokens[token] = componentName;
        SetAccessControl(componentName, accessControl);
        return token;
    }

    public void SetAccessControl(string componentName, IpcAccessControl? accessControl)
    {
        if (accessControl is null)
        {
            _accessControl.TryRemove(componentName, out _);
        }
        else
        {
            _accessControl[componentName] = accessControl;
        }
    }

    public string? ResolveToken(string token) => _tokens.TryGetValue(token, out var name) ? name : null;

    public IpcAccessControl? GetAccessControl(string componentName) =>
        _accessControl.TryGetValue(componentName, out var policy) ? policy : null;
}
