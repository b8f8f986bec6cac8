namespace Greengrass.Nucleus.Secrets;

/// <summary>The secret service and the ARNs the SecretManager's <c>cloudSecrets</c> lists, at the time of one request.</summary>
internal sealed record DeployedSecrets(SecretService Service, IReadOnlyCollection<string> CloudSecrets);

/// <summary>
/// Whether GetSecretValue is offered now. As in Greengrass, it exists only while <c>aws.greengrass.SecretManager</c> is
/// deployed.
/// </summary>
internal interface ISecretServiceAccess
{
    /// <summary>The secrets while SecretManager is deployed, else null.</summary>
    DeployedSecrets? Current { get; }
}

/// <summary>No SecretManager: the default when the host registers nothing.</summary>
internal sealed class NoSecretService : ISecretServiceAccess
{
    public DeployedSecrets? Current => null;
}

/// <summary>A SecretManager that is always deployed with a fixed <c>cloudSecrets</c> (tests).</summary>
internal sealed class FixedSecretService(SecretService service, IReadOnlyCollection<string> cloudSecrets) : ISecretServiceAccess
{
    public DeployedSecrets? Current => new(service, cloudSecrets);
}
