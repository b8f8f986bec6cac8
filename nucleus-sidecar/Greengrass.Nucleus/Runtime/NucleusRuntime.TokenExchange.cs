using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The token exchange service of the runtime: listening from start when the device has AWS access configured, serving
/// only while <c>aws.greengrass.TokenExchangeService</c> is deployed, and announced to the steps of that time through
/// AWS_CONTAINER_CREDENTIALS_FULL_URI (Greengrass sets it nucleus-wide once the service runs).
/// </summary>
internal sealed partial class NucleusRuntime
{
    /// <summary>Where components fetch credentials; null when the runtime serves none.</summary>
    internal Uri? TokenExchangeUri => _tes?.CredentialsUri;

    private async Task StartTokenExchangeAsync(CancellationToken ct)
    {
        if (_options.Aws is not { } aws)
        {
            return;
        }

        _tes = await TokenExchangeServer.StartAsync(
            new TokenExchangeOptions(_ipc.ResolveToken, IsTokenExchangeDeployed, aws.Credentials, _time, _logger),
            port: 0,
            ct);
    }

    private bool IsTokenExchangeDeployed() => IsDeployed(TokenExchangeServer.ComponentName);

    /// <summary>Runs on the event loop, where <c>_slots</c> is the set of components being deployed or running.</summary>
    private StepInvocation WithTokenExchange(StepInvocation invocation) =>
        _tes is { } tes && _slots.ContainsKey(TokenExchangeServer.ComponentName)
            ? invocation with { TokenExchangeUri = tes.CredentialsUri.ToString() }
            : invocation;
}
