using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>
/// The per-origin error lists of GREENGRASS.md §2.5: errors reported from NEW, STARTING and RUNNING are counted
/// separately; an error further than the error reset time from the previous one of its list starts the list over;
/// a list reaching <see cref="RestartPolicy.MaximumContinualErrors"/> means BROKEN.
/// </summary>
internal sealed class ErrorHistory
{
    private readonly Dictionary<ComponentState, List<DateTimeOffset>> _byOrigin = [];

    public static bool IsCounted(ComponentState origin) =>
        origin is ComponentState.New or ComponentState.Starting or ComponentState.Running;

    /// <summary>Records an error reported while in <paramref name="origin"/>; returns how many errors its list now holds (0 for origins that are not counted).</summary>
    public int Record(ComponentState origin, DateTimeOffset at, TimeSpan errorResetTime)
    {
        if (!IsCounted(origin))
        {
            return 0;
        }

        if (!_byOrigin.TryGetValue(origin, out var list))
        {
            list = [];
            _byOrigin[origin] = list;
        }

        if (list.Count > 0 && at - list[^1] >= errorResetTime)
        {
            list.Clear();
        }

        list.Add(at);
        return list.Count;
    }

    public int CountFor(ComponentState origin) => _byOrigin.TryGetValue(origin, out var list) ? list.Count : 0;

    /// <summary>A report of any state other than ERRORED clears the list of the state being left.</summary>
    public void ClearFor(ComponentState state) => _byOrigin.Remove(state);

    public void ClearAll() => _byOrigin.Clear();
}
