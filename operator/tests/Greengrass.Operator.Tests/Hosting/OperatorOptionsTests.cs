using Greengrass.Operator.Cli;
using Greengrass.Operator.Hosting;

namespace Greengrass.Operator.Tests.Hosting;

public sealed class OperatorOptionsTests
{
    [Fact]
    public void Parse_WatchTimeout_SetsTheServerSideWatchTimeout()
    {
        var options = OperatorOptions.Parse(["--watch-timeout", "7"]);

        Assert.Equal(7, options.WatchTimeoutSeconds);
    }

    [Fact]
    public void Parse_NoWatchTimeout_KeepsFiveMinutes()
    {
        Assert.Equal(300, OperatorOptions.Parse([]).WatchTimeoutSeconds);
    }

    [Fact]
    public void Parse_WatchTimeoutNotANumber_IsAUsageErrorNamingTheOption()
    {
        var error = Assert.Throws<UsageException>(() => OperatorOptions.Parse(["--watch-timeout", "soon"]));

        Assert.Contains("--watch-timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoDiscoveryOptions_ServesDiscoveryOn8443()
    {
        var options = OperatorOptions.Parse([]);

        Assert.True(options.Discovery);
        Assert.Equal(8443, options.DiscoveryPort);
        Assert.Equal("greengrass-discovery-tls", options.DiscoveryTlsSecret);
    }

    [Fact]
    public void Parse_DiscoveryOptions_AreRead()
    {
        var options = OperatorOptions.Parse(["--discovery", "false", "--discovery-port", "9443", "--discovery-hosts", "a.example, 10.1.2.3"]);

        Assert.False(options.Discovery);
        Assert.Equal(9443, options.DiscoveryPort);
        Assert.Equal(["a.example", "10.1.2.3"], options.DiscoveryHosts);
    }

    [Fact]
    public void Parse_DiscoveryPortOutOfRange_IsAUsageErrorNamingTheOption()
    {
        var error = Assert.Throws<UsageException>(() => OperatorOptions.Parse(["--discovery-port", "70000"]));

        Assert.Contains("--discovery-port", error.Message, StringComparison.Ordinal);
    }
}
