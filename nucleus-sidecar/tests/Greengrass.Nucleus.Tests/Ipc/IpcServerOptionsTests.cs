using Greengrass.Nucleus.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Greengrass.Nucleus.Tests.Ipc;

public sealed class IpcServerOptionsTests
{
    [Theory]
    [InlineData("", 65536, 10, "Ipc:SocketPath")]
    [InlineData("/tmp/x.socket", 100, 10, "Ipc:MaxMessageBytes")]
    [InlineData("/tmp/x.socket", 65536, 0, "Ipc:OutboundQueueCapacity")]
    public void InvalidOptions_FailNamingTheSetting(string socketPath, int maxMessageBytes, int queue, string expected)
    {
        var services = new ServiceCollection().AddGreengrassIpc(o =>
        {
            o.SocketPath = socketPath;
            o.MaxMessageBytes = maxMessageBytes;
            o.OutboundQueueCapacity = queue;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IpcServerOptions>>().Value);
        Assert.Contains(expected, error.Message);
    }
}
