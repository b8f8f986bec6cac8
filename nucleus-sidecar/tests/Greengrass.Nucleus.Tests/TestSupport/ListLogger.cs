using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Tests.TestSupport;

/// <summary>Keeps every log entry so a test can assert what the code under test logged (and that it logged no error).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public void AssertNoErrors() =>
        Assert.DoesNotContain(Entries, e => e.Level >= LogLevel.Error);
}
