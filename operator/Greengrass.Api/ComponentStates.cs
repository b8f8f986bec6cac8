namespace Greengrass.Api;

/// <summary>The Greengrass component lifecycle states, as the nucleus reports them.</summary>
public static class ComponentStates
{
    /// <summary>Known to the nucleus, nothing installed yet.</summary>
    public const string New = "NEW";

    /// <summary>Install step finished; waiting for dependencies or a start.</summary>
    public const string Installed = "INSTALLED";

    /// <summary>Startup step running (components with a Startup step).</summary>
    public const string Starting = "STARTING";

    /// <summary>Running (Run step alive, or Startup reported success).</summary>
    public const string Running = "RUNNING";

    /// <summary>Shutdown in progress.</summary>
    public const string Stopping = "STOPPING";

    /// <summary>Run step exited successfully; counts as ready.</summary>
    public const string Finished = "FINISHED";

    /// <summary>A step failed; the nucleus retries.</summary>
    public const string Errored = "ERRORED";

    /// <summary>Failed three times in a row; the nucleus gave up until the next deployment.</summary>
    public const string Broken = "BROKEN";
}
