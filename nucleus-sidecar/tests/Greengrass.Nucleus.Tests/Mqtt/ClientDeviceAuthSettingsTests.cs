using Greengrass.Nucleus.Runtime;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>The Auth component's limits the client device auth operations use, read from the MQTT settings' <c>auth</c>.</summary>
public sealed class ClientDeviceAuthSettingsTests
{
    [Theory]
    [InlineData("""{"performance":{"maxActiveAuthTokens":10},"certificates":{"serverCertificateValiditySeconds":200000}}""", 10, 200000)]
    [InlineData("""{"performance":{"maxActiveAuthTokens":"25"},"certificates":{"serverCertificateValiditySeconds":"864000"}}""", 25, 864000)]
    [InlineData("""{"performance":{"maxActiveAuthTokens":0},"certificates":{"serverCertificateValiditySeconds":60}}""", 1, 172800)]
    [InlineData("""{"certificates":{"serverCertificateValiditySeconds":9999999}}""", 2500, 864000)]
    [InlineData("{}", 2500, 604800)]
    public void ParseSettings_AuthLimits_ReadAndClampedAsGreengrass(string auth, int tokens, int validitySeconds)
    {
        var settings = RuntimeMqtt.ParseSettings($$"""{"stateDirectory": "/tmp/x", "auth": {{auth}}}""");

        Assert.Equal(tokens, settings.MaxActiveAuthTokens);
        Assert.Equal(validitySeconds, settings.Broker.ServerCertificateValiditySeconds);
    }

    [Theory]
    [InlineData("""{"performance":{"maxActiveAuthTokens":"many"}}""", "auth.performance.maxActiveAuthTokens")]
    [InlineData("""{"certificates":{"serverCertificateValiditySeconds":[1]}}""", "auth.certificates.serverCertificateValiditySeconds")]
    public void ParseSettings_AuthLimitNotANumber_FormatExceptionNamingTheField(string auth, string field)
    {
        var error = Assert.Throws<FormatException>(() => RuntimeMqtt.ParseSettings($$"""{"stateDirectory": "/tmp/x", "auth": {{auth}}}"""));

        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
    }
}
