using System.Text;

namespace Greengrass.Nucleus.Ipc.Authorization;

/// <summary>
/// One <c>resources</c> entry of an accessControl policy, compiled (GREENGRASS.md §6.7): <c>*</c> alone
/// matches everything; an unescaped <c>*</c> inside matches any run of characters; <c>?</c> is literal;
/// <c>${*}</c>, <c>${?}</c> and <c>${$}</c> are the escapes; any other <c>${x}</c> makes the entry invalid.
/// MQTT <c>+</c>/<c>#</c> filters are honoured only when matching MQTT-style (the mqttproxy service).
/// </summary>
internal sealed class IpcResourcePattern
{
    // Literal segments between unescaped '*'; a pattern without '*' has exactly one segment.
    private readonly string[] _segments;

    private IpcResourcePattern(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public bool MatchesEverything => Text == "*";

    /// <summary>Compiles <paramref name="text"/>; null with a reason when it holds an invalid escape.</summary>
    public static IpcResourcePattern? TryCreate(string text, out string? error)
    {
        error = null;
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                var inner = close < 0 ? null : text[(i + 2)..close];
                if (inner is not ("*" or "?" or "$"))
                {
                    error = $"resource '{text}' has an invalid escape at position {i}; only ${{*}}, ${{?}} and ${{$}} are allowed";
                    return null;
                }

                current.Append(inner);
                i = close;
            }
            else if (text[i] == '*')
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        segments.Add(current.ToString());
        return new IpcResourcePattern(text, [.. segments]);
    }

    public bool Matches(string resource, bool mqttStyle) =>
        MatchesEverything || GlobMatches(resource) || (mqttStyle && MqttFilterCovers(Text, resource));

    private bool GlobMatches(string resource)
    {
        if (_segments.Length == 1)
        {
            return string.Equals(_segments[0], resource, StringComparison.Ordinal);
        }

        var first = _segments[0];
        var last = _segments[^1];
        if (!resource.StartsWith(first, StringComparison.Ordinal) || resource.Length < first.Length + last.Length
            || !resource.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        // Greedy left-to-right placement of the middle segments is optimal for '*'-only globs.
        var position = first.Length;
        var end = resource.Length - last.Length;
        for (var i = 1; i < _segments.Length - 1; i++)
        {
            var found = resource.IndexOf(_segments[i], position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + _segments[i].Length;
        }

        return true;
    }

    /// <summary>True when MQTT filter <paramref name="filter"/> matches every topic <paramref name="resource"/> (a topic or a filter) does.</summary>
    internal static bool MqttFilterCovers(string filter, string resource)
    {
        var f = filter.Split('/');
        var r = resource.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return i == f.Length - 1;
            }

            if (i >= r.Length || r[i] == "#")
            {
                return false;
            }

            if (f[i] != "+" && f[i] != r[i])
            {
                return false;
            }
        }

        return f.Length == r.Length;
    }
}
