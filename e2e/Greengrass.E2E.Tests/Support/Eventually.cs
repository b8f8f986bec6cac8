namespace Greengrass.E2E.Tests.Support;

/// <summary>Polls a probe with a generous timeout instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task<T> Value<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"timed out waiting for {what}" + (last is null ? string.Empty : $" (last error: {last.Message})"));
    }

    public static Task True(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        Value<object>(async () => await probe() ? new object() : null, what, timeout);
}
