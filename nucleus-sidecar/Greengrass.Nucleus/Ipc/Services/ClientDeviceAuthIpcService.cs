using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Greengrass.Nucleus.Ipc.Authorization;
using Greengrass.Nucleus.Mqtt.Auth;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// The client device auth operations a custom MQTT broker relies on (§7.2): VerifyClientDeviceIdentity,
/// GetClientDeviceAuthToken, AuthorizeClientDeviceAction and SubscribeToCertificateUpdates. They decide with the
/// authorizer, registry and CA of the running MQTT stack, so a custom broker admits exactly what the built-in broker
/// admits. Each needs an <c>aws.greengrass.clientdevices.Auth</c> policy of the caller on resource <c>*</c>; while the
/// Auth component is not deployed every call is a ServiceError, as the Java nucleus answers an operation whose plugin
/// is absent.
/// </summary>
internal sealed partial class ClientDeviceAuthIpcService
{
    private const string ServerCertificateType = "SERVER";
    private const string AuthenticationFailed =
        "Unable to authenticate the client device with the given credentials. Check Greengrass log for details.";
    private const string InvalidSession = "Unable to find a valid session with the given auth token. Check Greengrass log for details.";
    private readonly IClientDeviceAuthAccess _access;
    private readonly ClientDeviceSessions _sessions;
    private readonly ServerCertificateSubscriptions _certificates;
    private readonly ILogger _logger;

    public ClientDeviceAuthIpcService(
        IClientDeviceAuthAccess access, ClientDeviceSessions sessions, ServerCertificateSubscriptions certificates, ILogger<ClientDeviceAuthIpcService> logger)
    {
        _access = access;
        _sessions = sessions;
        _certificates = certificates;
        _logger = logger;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<VerifyRequest>("VerifyClientDeviceIdentity", Verify);
        yield return new IpcOperation<TokenRequest>("GetClientDeviceAuthToken", GetTokenAsync);
        yield return new IpcOperation<AuthorizeRequest>("AuthorizeClientDeviceAction", AuthorizeAsync);
        yield return new IpcOperation<SubscribeRequest>("SubscribeToCertificateUpdates", Subscribe);
    }

    private ValueTask<IpcResponse> Verify(IpcCall call, VerifyRequest request, CancellationToken ct)
    {
        var context = Enter(call);
        if (request.Credential is null)
        {
            throw IpcServiceException.InvalidArguments("credential: Client device credential is required");
        }

        using var certificate = ParseCertificate(request.Credential.ClientDeviceCertificate, "credential.clientDeviceCertificate");
        var valid = context.IsTrusted(certificate);
        return ValueTask.FromResult(IpcResponse.Complete(call.ShortName, new VerifyResponse { IsValidClientDevice = valid }));
    }

    private async ValueTask<IpcResponse> GetTokenAsync(IpcCall call, TokenRequest request, CancellationToken ct)
    {
        var context = Enter(call);
        var mqtt = request.Credential?.MqttCredential
            ?? throw IpcServiceException.InvalidArguments("credential.mqttCredential: Invalid client device credentials");
        if (string.IsNullOrWhiteSpace(mqtt.CertificatePem))
        {
            // Greengrass authenticates client devices by certificate only: username and password are not used.
            throw Refused(call, mqtt.ClientId, "credential.mqttCredential.certificatePem is required (username and password are not used)");
        }

        var certificate = ParseCertificate(mqtt.CertificatePem, "credential.mqttCredential.certificatePem");
        var decision = await context.Authorizer.AuthenticateAsync(certificate, mqtt.ClientId ?? "", ct);
        if (!decision.Allowed)
        {
            certificate.Dispose();
            throw Refused(call, mqtt.ClientId, decision.Reason);
        }

        var token = _sessions.Create(new ClientDeviceSession(decision.ThingName!, certificate, context), context.MaxActiveAuthTokens);
        return IpcResponse.Complete(call.ShortName, new TokenResponse { ClientDeviceAuthToken = token });
    }

    private async ValueTask<IpcResponse> AuthorizeAsync(IpcCall call, AuthorizeRequest request, CancellationToken ct)
    {
        var context = Enter(call);
        var token = Required(request.ClientDeviceAuthToken, "clientDeviceAuthToken", "Auth token is required");
        var operation = Required(request.Operation, "operation", "Operation is required");
        var resource = Required(request.Resource, "resource", "Mqtt resource is required");
        var session = _sessions.Find(token) ?? throw InvalidToken(call, "unknown or ended token");
        if (!ReferenceEquals(session.VerifiedWith, context))
        {
            // The MQTT stack was replaced (the plan's client devices or Auth configuration changed): the token holds
            // only while its certificate is still attached to its thing.
            var things = await context.Registry.GetThingsAsync(session.Certificate, ct);
            if (!things.Contains(session.ThingName, StringComparer.Ordinal))
            {
                _sessions.Revoke(token);
                throw InvalidToken(call, $"the certificate is no longer attached to thing '{session.ThingName}'");
            }

            session.VerifiedWith = context;
        }

        var allowed = context.Authorizer.IsAllowed(session.ThingName, operation, resource);
        return IpcResponse.Complete(call.ShortName, new AuthorizeResponse { IsAuthorized = allowed });
    }

    private ValueTask<IpcResponse> Subscribe(IpcCall call, SubscribeRequest request, CancellationToken ct)
    {
        var context = Enter(call);
        var type = request.CertificateOptions?.CertificateType;
        if (request.CertificateOptions is null)
        {
            throw IpcServiceException.InvalidArguments("certificateOptions: Certificate options are required.");
        }

        if (type != ServerCertificateType)
        {
            throw IpcServiceException.InvalidArguments($"certificateOptions.certificateType: Valid certificate type is required ({ServerCertificateType}).");
        }

        try
        {
            _certificates.Subscribe(call.Stream, context);
        }
        catch (Exception e) when (e is CryptographicException or ObjectDisposedException or InvalidOperationException)
        {
            LogSubscribeFailed(_logger, e, call.Component);
            throw new IpcServiceException(IpcErrors.ServiceError, "Subscribe to certificate updates failed. Check Greengrass log for details.");
        }

        return ValueTask.FromResult(IpcResponse.Streaming(call.ShortName, IpcEmptyResponse.Instance));
    }

    /// <summary>The context the call decides with, after the caller's authorization (resource <c>*</c>, as Greengrass checks it).</summary>
    private ClientDeviceAuthContext Enter(IpcCall call)
    {
        if (_access.Current is not { } context)
        {
            _sessions.Clear(); // no client device auth, no sessions: a later deployment of it starts afresh
            throw new IpcServiceException(
                IpcErrors.ServiceError,
                $"Operation {call.Operation} is not supported by Greengrass: {IpcAuthorizationServices.ClientDeviceAuth} is not deployed");
        }

        call.Authorize(IpcAuthorizationServices.ClientDeviceAuth, "*");
        return context;
    }

    private IpcServiceException Refused(IpcCall call, string? clientId, string reason)
    {
        LogAuthenticationFailed(_logger, call.Component, clientId ?? "", reason);
        return new IpcServiceException(IpcErrors.InvalidCredentialError, AuthenticationFailed);
    }

    private IpcServiceException InvalidToken(IpcCall call, string reason)
    {
        LogInvalidToken(_logger, call.Component, reason);
        return new IpcServiceException(IpcErrors.InvalidClientDeviceAuthTokenError, InvalidSession);
    }

    private static string Required(string? value, string field, string message) =>
        string.IsNullOrEmpty(value) ? throw IpcServiceException.InvalidArguments($"{field}: {message}") : value;

    /// <summary>A PEM certificate, or (as Greengrass accepts) its base64 DER without the PEM armour.</summary>
    private static X509Certificate2 ParseCertificate(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw IpcServiceException.InvalidArguments($"{field}: Client device certificate is required");
        }

        try
        {
            return text.TrimStart().StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw IpcServiceException.InvalidArguments($"{field}: Unable to convert certificate PEM ({e.Message})");
        }
    }

    internal sealed class VerifyRequest
    {
        public ClientDeviceCredential? Credential { get; set; }
    }

    internal sealed class ClientDeviceCredential
    {
        public string? ClientDeviceCertificate { get; set; }
    }

    internal sealed class VerifyResponse
    {
        public bool IsValidClientDevice { get; set; }
    }

    internal sealed class TokenRequest
    {
        public CredentialDocument? Credential { get; set; }
    }

    internal sealed class CredentialDocument
    {
        public MqttCredential? MqttCredential { get; set; }
    }

    internal sealed class MqttCredential
    {
        public string? ClientId { get; set; }

        public string? CertificatePem { get; set; }

        public string? Username { get; set; }

        public string? Password { get; set; }
    }

    internal sealed class TokenResponse
    {
        public string? ClientDeviceAuthToken { get; set; }
    }

    internal sealed class AuthorizeRequest
    {
        public string? ClientDeviceAuthToken { get; set; }

        public string? Operation { get; set; }

        public string? Resource { get; set; }
    }

    internal sealed class AuthorizeResponse
    {
        public bool IsAuthorized { get; set; }
    }

    internal sealed class SubscribeRequest
    {
        public CertificateOptions? CertificateOptions { get; set; }
    }

    internal sealed class CertificateOptions
    {
        public string? CertificateType { get; set; }
    }

    [LoggerMessage(3404, LogLevel.Warning, "Client device auth token refused to {Component} for client id '{ClientId}': {Reason}")]
    private static partial void LogAuthenticationFailed(ILogger logger, string component, string clientId, string reason);

    [LoggerMessage(3405, LogLevel.Warning, "Client device auth token of {Component} is not valid: {Reason}")]
    private static partial void LogInvalidToken(ILogger logger, string component, string reason);

    [LoggerMessage(3406, LogLevel.Error, "Could not issue a server certificate for {Component}")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string component);
}
