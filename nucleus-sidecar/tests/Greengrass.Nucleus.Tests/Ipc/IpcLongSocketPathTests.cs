using Greengrass.Nucleus.Ipc;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>§6.1 / §13 #8: a root whose socket path does not fit in sun_path.</summary>
public sealed class IpcLongSocketPathTests
{
    [SdkFact]
    public async Task LongRoot_ComponentInWorkFolderReachesSocketThroughRelativePath()
    {
        var root = Path.Combine(Path.GetTempPath(), "ggipc-long-" + Guid.NewGuid().ToString("N"), new string('r', 90));
        var workDir = Directory.CreateDirectory(Path.Combine(root, "work", "com.example.A")).FullName;
        var socket = Path.Combine(root, "ipc.socket");
        Assert.True(socket.Length >= 108);
        try
        {
            await using var host = await IpcTestHost.StartAsync(o => o.SocketPath = socket);
            var token = host.AddComponent("com.example.A");

            await using var peer = NodePeer.StartIn(workDir, host.Server.ComponentSocketPath, token, "update-state", "RUNNING");
            await peer.ExitedCleanlyAsync();

            Assert.Equal("../../ipc.socket", host.Server.ComponentSocketPath);
            Assert.Contains(("com.example.A", "RUNNING"), host.Lifecycle.Reports);
        }
        finally
        {
            File.Delete(Path.Combine(Environment.CurrentDirectory, "nucleusRoot"));
            Directory.Delete(Path.GetDirectoryName(root)!, recursive: true);
        }
    }

    [Fact]
    public async Task ShortRoot_ComponentsGetTheAbsolutePath()
    {
        await using var host = await IpcTestHost.StartAsync();

        Assert.Equal(Path.GetFullPath(host.SocketPath), host.Server.ComponentSocketPath);
    }
}
