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
}
