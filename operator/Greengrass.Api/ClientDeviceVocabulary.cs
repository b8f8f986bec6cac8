namespace Greengrass.Api;

/// <summary>Values of a ClientDevice's <c>status.certificate.state</c>.</summary>
public static class CertificateStates
{
    /// <summary>Not checked yet.</summary>
    public const string Pending = "Pending";

    /// <summary>Parsed, within its validity period and trusted.</summary>
    public const string Valid = "Valid";

    /// <summary>Unparsable or not trusted.</summary>
    public const string Invalid = "Invalid";

    /// <summary>Past its validity period.</summary>
    public const string Expired = "Expired";
}
