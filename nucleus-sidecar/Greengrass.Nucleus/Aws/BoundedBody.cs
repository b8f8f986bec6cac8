namespace Greengrass.Nucleus.Aws;

/// <summary>Reads the small documents AWS endpoints answer with (credentials, error documents) without trusting their size.</summary>
internal static class BoundedBody
{
    /// <summary>The body as UTF-8 text, at most <paramref name="limit"/> bytes of it: a misbehaving server's body is not read to the end.</summary>
    public static async Task<string> ReadAsync(HttpResponseMessage response, int limit, CancellationToken ct)
    {
        var buffer = new byte[limit];
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}
