using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;

namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>
/// The lifecycle state machine of one component, exactly as GREENGRASS.md §2.4–2.5 describe it: a desired-state
/// list consumed in order, Startup versus Run readiness, Recover on ERRORED, per-origin error counting and BROKEN.
/// </summary>
/// <remarks>
/// Pure and single-threaded: the host serialises the events of one component, passes the current time, and carries
/// out the returned commands. It never blocks: where the Java nucleus waits inside a lifecycle thread, this machine
/// returns a <see cref="RunStep"/> or <see cref="StartTimer"/> and resumes on the matching event. Events that
/// carry an execution or timer id the machine no longer expects are ignored, so late exits of killed processes
/// cannot be mistaken for the current ones.
/// </remarks>
internal sealed partial class ComponentLifecycle
{
    private readonly List<ComponentState> _desired = [];
    private readonly ErrorHistory _errors = new();
    private readonly RestartPolicy _policy;
    private List<StateTransition> _transitions = [];
    private List<LifecycleCommand> _commands = [];
    private DateTimeOffset _now;
    private long _lastId;

    public ComponentLifecycle(string name, LifecycleSpec spec, DateTimeOffset createdAt, RestartPolicy? policy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _policy = policy ?? RestartPolicy.Default;
        LastTransitionTime = createdAt;
    }

    public string Name { get; }

    /// <summary>The steps used from the next step on; replaced by <see cref="UpdateSpec"/>.</summary>
    public LifecycleSpec Spec { get; private set; }

    public ComponentState State { get; private set; } = ComponentState.New;

    /// <summary>Greengrass status code of the last ERRORED or BROKEN transition (<c>RUN_ERROR</c>…); null otherwise.</summary>
    public string? StatusCode { get; private set; }

    public string? StatusReason { get; private set; }

    public DateTimeOffset LastTransitionTime { get; private set; }

    /// <summary>How many times the component was retried after an error.</summary>
    public int RestartCount { get; private set; }

    /// <summary>Whether every HARD dependency is ready; kept up to date by <see cref="LifecycleCoordinator"/>.</summary>
    public bool DependenciesReady { get; private set; } = true;

    /// <summary>True while STOPPING because Startup failed: dependents do not count the component as ready then (§2.6).</summary>
    public bool StoppingAfterStartupError { get; private set; }

    /// <summary>
    /// True in states a component can be removed from without stopping it first (ERRORED, BROKEN, FINISHED, NEW);
    /// a removed component waits for its HARD dependents to be closable (§2.6 rule 4).
    /// </summary>
    public bool IsClosable => State is ComponentState.Errored or ComponentState.Broken or ComponentState.Finished or ComponentState.New;

    /// <summary>The desired-state list still to be reached, first entry next.</summary>
    public IReadOnlyList<ComponentState> DesiredStates => _desired;

    public int ErrorCount(ComponentState origin) => _errors.CountFor(origin);

    /// <summary>
    /// Replaces the step definitions (a deployment changed them). Steps already running keep their definition, and
    /// the Shutdown of a started component stays the one captured when it started, as in Greengrass.
    /// </summary>
    public void UpdateSpec(LifecycleSpec spec) => Spec = spec ?? throw new ArgumentNullException(nameof(spec));

    /// <summary>Seeds dependency readiness before the first event (used by the coordinator when adding a component).</summary>
    public void InitialiseDependencies(bool ready) => DependenciesReady = ready;

    /// <summary>Handles one event at time <paramref name="now"/> and returns what changed and what the host must do.</summary>
    public LifecycleResult Handle(LifecycleEvent lifecycleEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lifecycleEvent);
        _now = now;
        _transitions = [];
        _commands = [];
        var ignored = lifecycleEvent switch
        {
            DesiredStateChanged e => OnDesiredStateChanged(e.Request),
            StepSpawned e => OnStepSpawned(e.ExecutionId),
            StepExited e => OnStepEnded(e.ExecutionId, e.ExitCode == 0, e.ExitCode, null, null),
            StepSkipped e => OnStepSkipped(e.ExecutionId),
            StepFailed e => OnStepEnded(e.ExecutionId, false, null, e.Reason, e.StatusCode),
            TimerElapsed e => OnTimerElapsed(e.TimerId),
            StateReported e => OnStateReported(e.State),
            DependenciesChanged e => OnDependenciesChanged(e.Ready),
            _ => $"unknown event {lifecycleEvent.GetType().Name}",
        };
        return new LifecycleResult(_transitions, _commands, ignored);
    }

    private string? OnDesiredStateChanged(DesiredRequest request)
    {
        if (State == ComponentState.Broken && request != DesiredRequest.Reinstall)
        {
            return $"{request} ignored: {Name} is BROKEN and only a reinstall (a deployment) recovers it";
        }

        if (request == DesiredRequest.Restart && State == ComponentState.New && _desired.Count == 0)
        {
            return "Restart ignored: the component was never started";
        }

        SetDesired(request switch
        {
            DesiredRequest.Install => [ComponentState.Installed],
            DesiredRequest.Start => [ComponentState.Running],
            DesiredRequest.Stop => [ComponentState.Finished],
            DesiredRequest.Restart => [ComponentState.Installed, ComponentState.Running],
            _ => [ComponentState.New, ComponentState.Running],
        });

        if (State == ComponentState.Broken)
        {
            ResetFromBroken();
        }
        else if (_timer is { Purpose: TimerPurpose.RetryWait })
        {
            // An explicit request does not wait out the retry back-off.
            CancelPendingTimer();
            ContinueAfterError();
        }

        Advance();
        return null;
    }

    private void SetDesired(IEnumerable<ComponentState> states)
    {
        _desired.Clear();
        _desired.AddRange(states);
    }

    /// <summary>The next desired state, after dropping entries the component has already reached.</summary>
    private ComponentState? PeekDesired()
    {
        while (_desired.Count > 0 && _desired[0] == State)
        {
            _desired.RemoveAt(0);
        }

        return _desired.Count > 0 ? _desired[0] : null;
    }

    private void SetState(ComponentState to, string? statusCode = null, string? reason = null)
    {
        var from = State;
        if (from == to)
        {
            return;
        }

        if (to != ComponentState.Errored)
        {
            _errors.ClearFor(from);
        }

        // Reaching FINISHED from a start satisfies "run": a one-shot must not be started over and over.
        if (to == ComponentState.Finished && _desired.Count > 0 && _desired[0] == ComponentState.Running)
        {
            _desired.RemoveAt(0);
        }

        State = to;
        StatusCode = statusCode;
        StatusReason = reason;
        LastTransitionTime = _now;
        var ready = DependencyReadiness.IsReady(DependencyType.Hard, to, StoppingAfterStartupError);
        _transitions.Add(new StateTransition(Name, from, to, _now, statusCode, reason, ready));
    }

    /// <summary>Moves a component with no live process to where its desired state leads (Greengrass serviceTerminatedMoveToDesiredState).</summary>
    private void MoveToDesired(ComponentState desired) => SetState(desired switch
    {
        ComponentState.New => ComponentState.New,
        ComponentState.Installed or ComponentState.Running => ComponentState.Installed,
        _ => ComponentState.Finished,
    });

    private long NextId() => ++_lastId;
}
