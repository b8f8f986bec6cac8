namespace Greengrass.EdgeCluster.Http;

/// <summary>Where <c>pods/log</c> reads container output from (the node agents' log files).</summary>
internal interface IPodLogSource
{
    string Read(string ns, string pod, string? container);
}
