using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Greengrass.EdgeCluster.Http;

/// <summary>Options of watch streams.</summary>
internal sealed class WatchOptions
{
    /// <summary>How often an idle watch that allows bookmarks gets one. The API server uses about a minute.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stream lifetime when the client sets no timeoutSeconds.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Streams watch events as newline-delimited JSON (<c>{"type":..,"object":..}</c>), as the API server does. A stream
/// ends cleanly when the server shuts down, as the API server closes its watches: the server waits for open requests
/// before it stops the node agents, so a watch held open (a nucleus watching its plan) kept the cluster from stopping
/// for the whole shutdown timeout and left the agents no time to stop their pods.
/// </summary>
internal sealed class Watching(ResourceStore store, WatchOptions options, TimeProvider time, IHostApplicationLifetime lifetime)
{
    public async Task StreamAsync(HttpContext http, ApiPath path, CancellationToken ct)
    {
        var q = http.Request.Query;
        var bookmarks = ApiHandler.IsTrue(q["allowWatchBookmarks"]);
        bool? sendInitial = string.IsNullOrEmpty(q["sendInitialEvents"]) ? null : ApiHandler.IsTrue(q["sendInitialEvents"]);
        var timeout = string.IsNullOrEmpty(q["timeoutSeconds"]) ? options.DefaultTimeout : TimeSpan.FromSeconds(ApiHandler.ParseInt(q["timeoutSeconds"], "timeoutSeconds"));
        var table = Tables.Wanted(http);
        var fields = Selector.ParseFields(q["fieldSelector"]);
        if (path.Name is not null)
        {
            fields = Selector.ParseFields($"metadata.name={path.Name}" + (string.IsNullOrEmpty(q["fieldSelector"]) ? "" : "," + q["fieldSelector"]));
        }
        var labels = Selector.ParseLabels(q["labelSelector"]);
        http.Response.StatusCode = 200;
        http.Response.ContentType = Responses.Json;
        WatchSubscription sub;
        try
        {
            sub = store.Watch(path.Type, path.Namespace, labels, fields, ApiHandler.NullIfEmpty(q["resourceVersion"]), sendInitial);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await WriteEventAsync(http, "ERROR", JsonSerializer.SerializeToUtf8Bytes(e.ToStatus()), ct);
            return;
        }
        using (sub)
        using (var open = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping))
        {
            await http.Response.StartAsync(ct);
            try
            {
                await PumpAsync(http, path, sub, bookmarks && sendInitial == true, bookmarks, table, timeout, open.Token);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // shutting down: the response ends here and the client sees its watch close
            }
        }
    }

    private async Task PumpAsync(HttpContext http, ApiPath path, WatchSubscription sub, bool initialEndBookmark, bool bookmarks,
        bool table, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var reader = sub.Channel.Reader;
        var lastSent = sub.StartResourceVersion;
        var buffer = new ArrayBufferWriter<byte>(16 * 1024); // one per stream, reused by every drain
        if (initialEndBookmark)
        {
            lastSent = Math.Max(lastSent, await Drain(http, path, reader, buffer, table, deadline.Token));
            await WriteBookmarkAsync(http, path, sub.StartResourceVersion, initialEnd: true, deadline.Token);
        }
        var nextBookmark = time.GetUtcNow() + options.BookmarkInterval;
        // The wait for the next event ends at the next bookmark tick. Without bookmarks only the deadline ends it, so a
        // busy stream arms no timer per event; with them, one source is re-armed (TryReset) rather than one made per wait.
        var tick = bookmarks ? CancellationTokenSource.CreateLinkedTokenSource(deadline.Token) : null;
        try
        {
            while (!deadline.IsCancellationRequested)
            {
                lastSent = Math.Max(lastSent, await Drain(http, path, reader, buffer, table, deadline.Token));
                if (bookmarks && time.GetUtcNow() >= nextBookmark)
                {
                    // Every event up to the current version is either sent or filtered out once the queue is empty.
                    var current = store.CurrentResourceVersion;
                    if (!reader.TryPeek(out _))
                    {
                        await WriteBookmarkAsync(http, path, Math.Max(current, lastSent), initialEnd: false, deadline.Token);
                    }
                    nextBookmark = time.GetUtcNow() + options.BookmarkInterval;
                }
                if (tick is not null && !tick.TryReset())
                {
                    tick.Dispose();
                    tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                }
                tick?.CancelAfter(options.BookmarkInterval);
                try
                {
                    if (!await reader.WaitToReadAsync(tick?.Token ?? deadline.Token))
                    {
                        return;
                    }
                    // To the back of the thread pool's queue before draining: the commits already queued there add their
                    // events first, so under load one write and flush carry several events instead of one each.
                    await Task.Yield();
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // bookmark tick or stream timeout
                }
            }
        }
        finally
        {
            tick?.Dispose();
        }
    }

    /// <summary>
    /// Writes every queued event, then flushes once: under a burst, one flush carries many events. The buffer is
    /// the stream's own and is written out at 64 KiB, so it stays off the large object heap and is not reallocated.
    /// Returns the highest resourceVersion sent (0 when none was).
    /// </summary>
    private async Task<long> Drain(HttpContext http, ApiPath path, System.Threading.Channels.ChannelReader<WatchOut> reader,
        ArrayBufferWriter<byte> buffer, bool table, CancellationToken ct)
    {
        buffer.ResetWrittenCount();
        var sent = 0L;
        while (reader.TryRead(out var ev))
        {
            var bytes = table ? TableEvent(path, ev) : RenderEvent(path, ev);
            Frame(buffer, ev.Type, bytes.Span);
            sent = Math.Max(sent, ev.ResourceVersion);
            if (buffer.WrittenCount > 64 * 1024)
            {
                await http.Response.Body.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }
        if (buffer.WrittenCount > 0)
        {
            await http.Response.Body.WriteAsync(buffer.WrittenMemory, ct);
            await http.Response.Body.FlushAsync(ct);
            buffer.ResetWrittenCount();
        }
        return sent;
    }

    private static readonly Dictionary<string, byte[]> FramePrefixes = new[] { "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR" }
        .ToDictionary(t => t, t => Encoding.UTF8.GetBytes($"{{\"type\":\"{t}\",\"object\":"), StringComparer.Ordinal);

    private static void Frame(ArrayBufferWriter<byte> buffer, string type, ReadOnlySpan<byte> obj)
    {
        buffer.Write<byte>(FramePrefixes.TryGetValue(type, out var prefix) ? prefix : Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"));
        buffer.Write<byte>(obj);
        buffer.Write<byte>("}\n"u8);
    }

    /// <summary>Custom resources watched at a non-storage version get their apiVersion rewritten.</summary>
    private static ReadOnlyMemory<byte> RenderEvent(ApiPath path, WatchOut ev)
    {
        if (!path.Type.IsCustom)
        {
            return ev.Bytes;
        }
        return Responses.Render(path.Type, ev.Bytes);
    }

    private ReadOnlyMemory<byte> TableEvent(ApiPath path, WatchOut ev)
    {
        var obj = JsonNode.Parse(ev.Bytes.Span)!.AsObject();
        var tableObj = Tables.Build(path.Type, [obj], ev.ResourceVersion, null, "Object", time.GetUtcNow());
        return JsonSerializer.SerializeToUtf8Bytes(tableObj);
    }

    private static Task WriteBookmarkAsync(HttpContext http, ApiPath path, long rv, bool initialEnd, CancellationToken ct)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (initialEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        var obj = new JsonObject { ["kind"] = path.Type.Kind, ["apiVersion"] = path.Type.ApiVersion, ["metadata"] = meta };
        return WriteEventAsync(http, "BOOKMARK", JsonSerializer.SerializeToUtf8Bytes(obj), ct);
    }

    private static async Task WriteEventAsync(HttpContext http, string type, byte[] obj, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Frame(buffer, type, obj);
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
