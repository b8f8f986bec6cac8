using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Tests.TestSupport;

/// <summary>A real Kestrel server on an ephemeral loopback port that serves artifacts and counts requests per path.</summary>
internal sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();

    private ArtifactServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<ArtifactServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new ArtifactServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public Uri Serve(string path, byte[] content)
    {
        _files[path] = content;
        return new Uri(BaseAddress, path);
    }

    /// <summary>The next <paramref name="count"/> requests for <paramref name="path"/> answer 503.</summary>
    public void FailNext(string path, int count) => _failuresLeft[path] = count;

    public int RequestsFor(string path) => _requests.GetValueOrDefault(path);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (_failuresLeft.TryGetValue(path, out var left) && left > 0)
        {
            _failuresLeft[path] = left - 1;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (!_files.TryGetValue(path, out var content))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
