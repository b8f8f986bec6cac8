namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>
/// Tests that run whole nucleus runtimes (dozens of processes, sockets and threads each) run on their own, after the
/// parallel tests: next to them, the IPC fuzz test's 100k-frame run did not finish within its 120 s bound on the shared
/// 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeCollection
{
    public const string Name = "Nucleus runtime";
}
