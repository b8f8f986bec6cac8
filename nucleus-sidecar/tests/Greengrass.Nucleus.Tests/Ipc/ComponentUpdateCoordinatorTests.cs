using System.Collections.Concurrent;
using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Ipc;

public sealed class ComponentUpdateCoordinatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ComponentUpdateCoordinator _coordinator;
    private readonly RecordingSink _sink = new();

    public ComponentUpdateCoordinatorTests()
    {
        _coordinator = new ComponentUpdateCoordinator(_time, NullLogger<ComponentUpdateCoordinator>.Instance);
    }

    [Fact]
    public async Task Notify_NoSubscribers_ConsentsAtOnce()
    {
        var outcome = await _coordinator.NotifyComponentsAndWaitAsync("d1", false, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(0, outcome.Deferrals);
    }

    [Fact]
    public async Task Notify_Deferral_WaitsRecheckThenRenotifiesUntilConsent()
    {
        Subscribe("A", 1);
        var notify = _coordinator.NotifyComponentsAndWaitAsync("d1", false, TimeSpan.FromSeconds(60), CancellationToken.None);
        await Eventually.TrueAsync(() => _sink.PreUpdates("A").Count == 1, "the first PreComponentUpdateEvent");

        Assert.True(_coordinator.Defer("A", "d1", 10_000, "busy"));
        var waited = await AdvanceUntilAsync(() => _sink.PreUpdates("A").Count == 2);
        Assert.False(notify.IsCompleted);
        Assert.True(_coordinator.Defer("A", "d1", 0, null));
        var outcome = await notify;

        Assert.True(waited >= TimeSpan.FromSeconds(10), $"renotified after {waited} of (fake) time, before the 10 s asked for");
        Assert.Equal(1, outcome.Deferrals);
        Assert.Equal(TimeSpan.FromSeconds(10), outcome.DeferredFor);
        Assert.Equal(["A"], outcome.DeferredBy);
    }

    [Fact]
    public async Task Notify_LargestDeferralWins_OtherDeploymentIgnored()
    {
        Subscribe("A", 1);
        Subscribe("B", 2);
        var notify = _coordinator.NotifyComponentsAndWaitAsync("d1", true, TimeSpan.FromSeconds(60), CancellationToken.None);
        await Eventually.TrueAsync(() => _sink.PreUpdates("B").Count == 1, "the PreComponentUpdateEvents");

        Assert.False(_coordinator.Defer("A", "other", 99_000, null));
        Assert.True(_coordinator.Defer("A", "d1", 2_000, null));
        Assert.True(_coordinator.Defer("B", "d1", 5_000, null));
        var waited = await AdvanceUntilAsync(() => _sink.PreUpdates("A").Count == 2);
        _coordinator.Defer("A", "d1", 0, null);
        _coordinator.Defer("B", "d1", 0, null);

        var outcome = await notify;
        Assert.True(waited >= TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), outcome.DeferredFor);
        Assert.Equal(["B"], outcome.DeferredBy);
        Assert.True(_sink.PreUpdates("A")[0].GetProperty("isGgcRestarting").GetBoolean());
    }

    [Fact]
    public async Task Notify_SilentSubscriber_ConsentsAtTimeout()
    {
        Subscribe("A", 1);
        var notify = _coordinator.NotifyComponentsAndWaitAsync("d1", false, TimeSpan.FromSeconds(60), CancellationToken.None);
        await Eventually.TrueAsync(() => _sink.PreUpdates("A").Count == 1, "the PreComponentUpdateEvent");

        var waited = await AdvanceUntilAsync(() => notify.IsCompleted);

        Assert.True(waited >= TimeSpan.FromSeconds(60));
        Assert.Equal(0, (await notify).Deferrals);
    }

    [Fact]
    public async Task Notify_SubscriberClosing_CountsAsConsent()
    {
        var stream = Subscribe("A", 1);
        var notify = _coordinator.NotifyComponentsAndWaitAsync("d1", false, TimeSpan.FromSeconds(60), CancellationToken.None);
        await Eventually.TrueAsync(() => _sink.PreUpdates("A").Count == 1, "the PreComponentUpdateEvent");

        stream.ClosedByPeer();

        Assert.Equal(0, (await notify).Deferrals);
    }

    [Fact]
    public void Defer_WithoutPendingNotification_IsRefused() => Assert.False(_coordinator.Defer("A", "d1", 1000, null));

    [Fact]
    public void NotifyUpdateFinished_SendsPostUpdateEvent()
    {
        Subscribe("A", 1);

        _coordinator.NotifyUpdateFinished("d9");

        var body = Assert.Single(_sink.Bodies("A"));
        Assert.Equal("d9", body.GetProperty("postUpdateEvent").GetProperty("deploymentId").GetString());
    }

    /// <summary>Moves fake time forward in small steps until <paramref name="condition"/> holds; returns how much fake time passed.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Func<bool> condition)
    {
        var start = _time.GetUtcNow();
        for (var i = 0; i < 20_000; i++)
        {
            if (condition())
            {
                return _time.GetUtcNow() - start;
            }

            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(1);
        }

        Assert.Fail("the condition never held while fake time advanced");
        return TimeSpan.Zero;
    }

    private IpcStream Subscribe(string component, int id)
    {
        var stream = new IpcStream(id, "aws.greengrass#SubscribeToComponentUpdates", component, _sink);
        stream.MarkResponded(keepOpen: true);
        _coordinator.AddSubscriber(stream);
        return stream;
    }

    private sealed class RecordingSink : IIpcStreamSink
    {
        private readonly ConcurrentQueue<(string Component, EventStreamMessage Frame)> _frames = new();

        public bool TryEnqueueEvent(IpcStream stream, EventStreamMessage frame)
        {
            _frames.Enqueue((stream.Component, frame));
            return true;
        }

        public List<JsonElement> Bodies(string component) =>
            [.. _frames.Where(f => f.Component == component && !f.Frame.Payload.IsEmpty).Select(f => JsonDocument.Parse(f.Frame.Payload).RootElement)];

        public List<JsonElement> PreUpdates(string component) =>
            [.. Bodies(component).Where(b => b.TryGetProperty("preUpdateEvent", out _)).Select(b => b.GetProperty("preUpdateEvent"))];
    }
}
