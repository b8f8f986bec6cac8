using System.Text.RegularExpressions;
using Greengrass.Api;

namespace Greengrass.Operator.Devices;

/// <summary>
/// The operator's own check of <c>spec.aws</c>, beside the CRD's schema and CEL rule: an API server that does not
/// enforce CEL (or an object stored before the rule existed) must still get an error that names the field, not a
/// nucleus pod that fails at start. Pure.
/// </summary>
internal static class AwsAccessValidation
{
    public const string CredentialsField = "spec.aws.credentials";
    public const string IotProviderField = CredentialsField + ".iotCredentialsProvider";

    /// <summary>Why <paramref name="spec"/>'s AWS access cannot work, naming the field; null when it can (or is absent).</summary>
    public static string? Error(CoreDeviceSpec spec)
    {
        if (spec.Aws?.Credentials is not { } credentials)
        {
            return spec.Aws is null ? null : $"{CredentialsField}: required (set secretRef or iotCredentialsProvider)";
        }

        var hasSecret = credentials.SecretRef is not null;
        if (hasSecret == (credentials.IotCredentialsProvider is not null))
        {
            return $"{CredentialsField}: set exactly one of secretRef or iotCredentialsProvider";
        }

        if (hasSecret)
        {
            return string.IsNullOrEmpty(credentials.SecretRef!.Name) ? $"{CredentialsField}.secretRef.name: must not be empty" : null;
        }

        var provider = credentials.IotCredentialsProvider!;
        if (!Regex.IsMatch(provider.Endpoint, Patterns.IotCredentialsEndpoint))
        {
            return $"{IotProviderField}.endpoint: '{provider.Endpoint}' is not a host name with an optional :port (or an https:// URL of one)";
        }

        if (provider.RoleAlias.Length is 0 or > 128 || !Regex.IsMatch(provider.RoleAlias, Patterns.IotRoleAlias))
        {
            return $"{IotProviderField}.roleAlias: '{provider.RoleAlias}' is not a role alias name (1 to 128 of letters, digits and _=,@-)";
        }

        return spec.Identity?.CertificateSecretRef?.Name is { Length: > 0 }
            ? null
            : $"{IotProviderField}: needs spec.identity.certificateSecretRef, the Secret with the device certificate and key (tls.crt, tls.key) the credentials provider authenticates";
    }
}
