using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>CancelLocalDeployment at the IPC boundary: request validation, authorization and the answer's shape.</summary>
public sealed class CancelLocalDeploymentIpcTests : IAsyncLifetime
{
    private const string CliPolicy = """{"aws.greengrass.Cli": {"c": {"operations": ["aws.greengrass#CancelLocalDeployment", "aws.greengrass#CreateLocalDeployment", "aws.greengrass#GetLocalDeploymentStatus"], "resources": ["*"]}}}""";

    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CancelLocalDeployment_KnownId_AnswersMessageAndStatusIsCanceled()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent("Cli", CliPolicy));
        var created = await client.CallAsync("CreateLocalDeployment", """{"rootComponentVersionsToAdd":{"x":"1.0.0"}}""");
        var id = Json(created).GetProperty("deploymentId").GetString();

        var cancel = await client.CallAsync("CancelLocalDeployment", $$"""{"deploymentId":"{{id}}"}""");
        var status = await client.CallAsync("GetLocalDeploymentStatus", $$"""{"deploymentId":"{{id}}"}""");

        Assert.Equal("aws.greengrass#CancelLocalDeploymentResponse", Header(cancel, "service-model-type"));
        Assert.Equal($"cancelled {id}", Json(cancel).GetProperty("message").GetString());
        Assert.Equal("CANCELED", Json(status).GetProperty("deployment").GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancelLocalDeployment_UnknownId_IsResourceNotFound()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent("Cli", CliPolicy));

        var reply = await client.CallAsync("CancelLocalDeployment", $$"""{"deploymentId":"{{Guid.NewGuid()}}"}""");

        Assert.Equal("aws.greengrass#ResourceNotFoundError", Header(reply, "service-model-type"));
    }

    [Theory]
    [InlineData("{}", "deploymentId")]
    [InlineData("""{"deploymentId":"not-a-uuid"}""", "not-a-uuid")]
    public async Task CancelLocalDeployment_MissingOrMalformedId_IsInvalidArgumentsNamingTheField(string body, string named)
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent("Cli", CliPolicy));

        var reply = await client.CallAsync("CancelLocalDeployment", body);

        Assert.Equal("aws.greengrass#InvalidArgumentsError", Header(reply, "service-model-type"));
        var message = Json(reply).GetProperty("message").GetString();
        Assert.Contains("deploymentId", message, StringComparison.Ordinal);
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelLocalDeployment_WithoutCliPolicy_IsUnauthorizedAndCancelsNothing()
    {
        await using var allowed = await ConnectAsync(_host.SocketPath, _host.AddComponent("Cli", CliPolicy));
        await using var denied = await ConnectAsync(_host.SocketPath, _host.AddComponent("Other",
            """{"aws.greengrass.Cli": {"c": {"operations": ["aws.greengrass#ListLocalDeployments"], "resources": ["*"]}}}"""));
        var id = Json(await allowed.CallAsync("CreateLocalDeployment", """{"rootComponentVersionsToAdd":{"x":"1.0.0"}}""")).GetProperty("deploymentId").GetString();

        var reply = await denied.CallAsync("CancelLocalDeployment", $$"""{"deploymentId":"{{id}}"}""");
        var status = await allowed.CallAsync("GetLocalDeploymentStatus", $$"""{"deploymentId":"{{id}}"}""");

        Assert.Equal("aws.greengrass#UnauthorizedError", Header(reply, "service-model-type"));
        Assert.Equal("QUEUED", Json(status).GetProperty("deployment").GetProperty("status").GetString());
    }
}
