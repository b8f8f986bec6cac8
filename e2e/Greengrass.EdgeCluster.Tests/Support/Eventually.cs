namespace Greengrass.EdgeCluster.Tests.Support;

/// <summary>Polls a condition with a generous timeout instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> Value<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
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
            await Task.Delay(100);
        }
        throw new TimeoutException($"timed out waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
    }

    public static async Task True(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        await Value<object>(async () => await probe() ? new object() : null, what, timeout);
}
