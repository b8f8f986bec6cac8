using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>What came of notifying components before an update.</summary>
/// <param name="Deferrals">How many times the update was put off.</param>
/// <param name="DeferredFor">The sum of the waits the components asked for.</param>
/// <param name="DeferredBy">Components that asked for a wait, in order, one entry per deferral round.</param>
internal sealed record ComponentUpdateOutcome(int Deferrals, TimeSpan DeferredFor, IReadOnlyList<string> DeferredBy);

/// <summary>
/// The NOTIFY_COMPONENTS protocol of §5.3. The deployment side calls <see cref="NotifyComponentsAndWaitAsync"/>:
/// every SubscribeToComponentUpdates stream gets a PreComponentUpdateEvent; the round ends when every
/// subscribed component answered with DeferComponentUpdate (or closed its stream) or at the timeout. The
/// largest <c>recheckAfterMs</c> of the round wins: wait that long and notify again; 0 or silence is consent.
/// </summary>
internal sealed class ComponentUpdateCoordinator
{
    public const string EventShape = IpcFrames.ShapePrefix + "ComponentUpdatePolicyEvents";
    private readonly ConcurrentDictionary<IpcStream, byte> _subscribers = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ComponentUpdateCoordinator> _logger;
    private readonly Lock _gate = new();
    private Round? _round;

    public ComponentUpdateCoordinator(TimeProvider time, ILogger<ComponentUpdateCoordinator> logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>Components with an open SubscribeToComponentUpdates stream.</summary>
    public IReadOnlyCollection<string> SubscribedComponents => [.. _subscribers.Keys.Select(s => s.Component).Distinct()];

    public void AddSubscriber(IpcStream stream)
    {
        _subscribers[stream] = 0;
        stream.OnClosed(() =>
        {
            _subscribers.TryRemove(stream, out _);
            lock (_gate)
            {
                // A component that goes away cannot object any more.
                if (!_subscribers.Keys.Any(s => s.Component == stream.Component))
                {
                    _round?.Answer(stream.Component, 0);
                }
            }
        });
    }

    /// <summary>Notifies subscribers of a pending update and waits while they defer it; returns once the update may go ahead.</summary>
    public async Task<ComponentUpdateOutcome> NotifyComponentsAndWaitAsync(
        string deploymentId, bool isGgcRestarting, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deferrals = 0;
        var total = TimeSpan.Zero;
        var deferredBy = new List<string>();
        while (true)
        {
            var (round, streams) = StartRound(deploymentId);
            var body = new ComponentUpdatePolicyEvents { PreUpdateEvent = new() { DeploymentId = deploymentId, IsGgcRestarting = isGgcRestarting } };
            foreach (var stream in streams)
            {
                stream.SendEvent(EventShape, body);
            }

            try
            {
                await round.AllAnswered.WaitAsync(timeout, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Silence within the timeout is consent.
            }
            finally
            {
                EndRound(round);
            }

            var (wait, by) = round.LongestDeferral();
            if (wait <= 0)
            {
                return new ComponentUpdateOutcome(deferrals, total, deferredBy);
            }

            deferrals++;
            total += TimeSpan.FromMilliseconds(wait);
            deferredBy.Add(by!);
            await Task.Delay(TimeSpan.FromMilliseconds(wait), _time, cancellationToken);
        }
    }

    /// <summary>Tells subscribers the update of <paramref name="deploymentId"/> finished (or was discarded).</summary>
    public void NotifyUpdateFinished(string deploymentId)
    {
        var body = new ComponentUpdatePolicyEvents { PostUpdateEvent = new() { DeploymentId = deploymentId } };
        foreach (var stream in _subscribers.Keys)
        {
            stream.SendEvent(EventShape, body);
        }
    }

    /// <summary>DeferComponentUpdate from <paramref name="component"/>; false when no notification of that deployment is pending.</summary>
    public bool Defer(string component, string? deploymentId, long recheckAfterMs, string? message)
    {
        lock (_gate)
        {
            if (_round is null || (deploymentId is not null && deploymentId != _round.DeploymentId))
            {
                return false;
            }

            IpcLog.UpdateDeferred(_logger, component, _round.DeploymentId, recheckAfterMs, message);
            _round.Answer(component, Math.Max(0, recheckAfterMs));
            return true;
        }
    }

    private (Round Round, IpcStream[] Streams) StartRound(string deploymentId)
    {
        lock (_gate)
        {
            var streams = _subscribers.Keys.ToArray();
            _round = new Round(deploymentId, streams.Select(s => s.Component));
            return (_round, streams);
        }
    }

    private void EndRound(Round round)
    {
        lock (_gate)
        {
            if (_round == round)
            {
                _round = null;
            }
        }
    }

    private sealed class Round
    {
        private readonly HashSet<string> _waitingFor;
        private readonly Dictionary<string, long> _answers = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Round(string deploymentId, IEnumerable<string> components)
        {
            DeploymentId = deploymentId;
            _waitingFor = new HashSet<string>(components, StringComparer.Ordinal);
            if (_waitingFor.Count == 0)
            {
                _all.TrySetResult();
            }
        }

        public string DeploymentId { get; }

        public Task AllAnswered => _all.Task;

        // Called under the coordinator's lock.
        public void Answer(string component, long recheckAfterMs)
        {
            _answers[component] = recheckAfterMs;
            _waitingFor.Remove(component);
            if (_waitingFor.Count == 0)
            {
                _all.TrySetResult();
            }
        }

        public (long Wait, string? By) LongestDeferral()
        {
            var best = _answers.OrderByDescending(a => a.Value).FirstOrDefault();
            return (best.Value, best.Key);
        }
    }

    internal sealed class ComponentUpdatePolicyEvents
    {
        public PreComponentUpdateEvent? PreUpdateEvent { get; set; }

        public PostComponentUpdateEvent? PostUpdateEvent { get; set; }
    }

    internal sealed class PreComponentUpdateEvent
    {
        public string? DeploymentId { get; set; }

        public bool IsGgcRestarting { get; set; }
    }

    internal sealed class PostComponentUpdateEvent
    {
        public string? DeploymentId { get; set; }
    }
}
