namespace Greengrass.Nucleus.Aws;

/// <summary>
/// Where and as whom the nucleus asks the AWS IoT credentials provider for credentials (the Greengrass nucleus settings
/// <c>iotCredEndpoint</c>, <c>iotRoleAlias</c>, the thing name, and the certificate, key and root CA paths): here the
/// endpoint, the role alias, the thing name and the folder of the device identity Secret (<c>tls.crt</c>,
/// <c>tls.key</c>, optional <c>ca.crt</c> trusted for the endpoint's server certificate besides the system roots).
/// </summary>
internal sealed record IotCredentialsProviderSettings(Uri Endpoint, string RoleAlias, string ThingName, string IdentityDirectory)
{
    public const string EndpointEnv = "GG_AWS_IOT_CRED_ENDPOINT";
    public const string RoleAliasEnv = "GG_AWS_IOT_ROLE_ALIAS";
    public const string IdentityDirEnv = "GG_AWS_IOT_IDENTITY_DIR";

    /// <summary>The request path of the role alias's credentials.</summary>
    public string CredentialsPath => $"/role-aliases/{Uri.EscapeDataString(RoleAlias)}/credentials";

    /// <summary>
    /// Reads the three variables; null when none is set.
    /// </summary>
    /// <exception cref="FormatException">Only some are set, the thing name is empty, or the endpoint is not a host with an
    /// optional port (or an https:// URL of one); the message names the variable.</exception>
    public static IotCredentialsProviderSettings? FromEnvironment(Func<string, string?> env, string thingName)
    {
        var endpoint = env(EndpointEnv);
        var roleAlias = env(RoleAliasEnv);
        var identity = env(IdentityDirEnv);
        var values = new[] { (EndpointEnv, endpoint), (RoleAliasEnv, roleAlias), (IdentityDirEnv, identity) };
        if (values.All(v => string.IsNullOrEmpty(v.Item2)))
        {
            return null;
        }

        if (values.Where(v => string.IsNullOrEmpty(v.Item2)).Select(v => v.Item1).ToList() is { Count: > 0 } missing)
        {
            throw new FormatException($"the AWS IoT credentials provider needs {EndpointEnv}, {RoleAliasEnv} and {IdentityDirEnv}; {string.Join(" and ", missing)} not set.");
        }

        if (string.IsNullOrEmpty(thingName))
        {
            throw new FormatException($"the AWS IoT credentials provider ({EndpointEnv}) needs the device's thing name (GG_THING_NAME).");
        }

        return new IotCredentialsProviderSettings(ParseEndpoint(endpoint!), roleAlias!, thingName, identity!);
    }

    /// <summary><c>host</c>, <c>host:port</c> or <c>https://host[:port][/]</c> as the base URI of the provider.</summary>
    /// <exception cref="FormatException">Anything else; the message names <see cref="EndpointEnv"/>.</exception>
    public static Uri ParseEndpoint(string text)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps ||
            uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new FormatException($"{EndpointEnv} must be a host name with an optional :port, or an https:// URL of one, got '{text}'.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }
}
