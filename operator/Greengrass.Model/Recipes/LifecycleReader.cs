using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Reads a lifecycle tree. With selection keywords it validates a global lifecycle, walking into every
/// selection level (where no typed result exists yet); with none it checks and converts a lifecycle that is used
/// as is, e.g. after <c>LifecycleSelector</c> resolved the selection keys. Keys match case-insensitively.
/// </summary>
internal sealed partial class LifecycleReader(BindContext context, SourceMarks? marks, IReadOnlySet<string> selectionKeys)
{
    private static readonly string[] LevelKeys = [LifecycleStepNames.Setenv, .. LifecycleStepNames.Steps];
    private static readonly string[] StepKeys = ["Script", "RequiresPrivilege", "Skipif", "Timeout", "Setenv", "BootstrapOnRollback"];

    public static IReadOnlySet<string> NoSelections { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads one lifecycle level; the result is <see langword="null"/> at a selection level or on error.</summary>
    public LifecycleDefinition? ReadLevel(JsonObject level, string path)
    {
        if (IsSelectionLevel(level, path))
        {
            ForEachSelected(level, path, (node, p) => ReadNestedLevel(node, p));
            return null;
        }

        var steps = new Dictionary<string, LifecycleStep?>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string>? setenv = null;
        foreach (var (key, value) in level)
        {
            var childPath = BindContext.Join(path, key);
            var name = Match(key, LevelKeys);
            if (name is null)
            {
                ErrorAtKey(childPath, $"unknown lifecycle step \"{key}\"; expected one of {string.Join(", ", LevelKeys)}");
            }
            else if (steps.ContainsKey(name) || (name == LifecycleStepNames.Setenv && setenv is not null))
            {
                ErrorAtKey(childPath, $"duplicate key \"{key}\" (keys are case-insensitive)");
            }
            else if (name == LifecycleStepNames.Setenv)
            {
                setenv = ReadEnvironment(value, childPath) ?? new Dictionary<string, string>();
            }
            else
            {
                steps[name] = ReadStep(value, childPath);
            }
        }

        return new LifecycleDefinition
        {
            Setenv = setenv,
            Bootstrap = steps.GetValueOrDefault(LifecycleStepNames.Bootstrap),
            Install = steps.GetValueOrDefault(LifecycleStepNames.Install),
            Startup = steps.GetValueOrDefault(LifecycleStepNames.Startup),
            Run = steps.GetValueOrDefault(LifecycleStepNames.Run),
            Shutdown = steps.GetValueOrDefault(LifecycleStepNames.Shutdown),
            Recover = steps.GetValueOrDefault(LifecycleStepNames.Recover),
            Uninstall = steps.GetValueOrDefault(LifecycleStepNames.Uninstall),
        };
    }

    private void ReadNestedLevel(JsonNode? node, string path)
    {
        if (node is JsonObject level)
        {
            ReadLevel(level, path);
        }
        else if (node is not null)
        {
            ErrorAtValue(path, $"expected an object of lifecycle steps, found {Describe(node)}");
        }
    }

    private LifecycleStep? ReadStep(JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return new LifecycleStep { Script = value.GetValue<string>() };
            case JsonObject step when IsSelectionLevel(step, path):
                ForEachSelected(step, path, (child, p) => ReadStep(child, p));
                return null;
            case JsonObject step:
                return ReadStepObject(step, path);
            default:
                ErrorAtValue(path, $"expected a script or a step object, found {Describe(node)}");
                return null;
        }
    }

    private LifecycleStep? ReadStepObject(JsonObject step, string path)
    {
        string? script = null;
        bool? privilege = null, onRollback = null;
        string? skipif = null;
        int? timeout = null;
        IReadOnlyDictionary<string, string>? setenv = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in step)
        {
            var childPath = BindContext.Join(path, key);
            var name = Match(key, StepKeys);
            if (name is null)
            {
                ErrorAtKey(childPath, $"unknown key \"{key}\" in a lifecycle step; expected one of {string.Join(", ", StepKeys)}");
                continue;
            }

            if (!seen.Add(name))
            {
                ErrorAtKey(childPath, $"duplicate key \"{key}\" (keys are case-insensitive)");
                continue;
            }

            switch (name)
            {
                case "Script": script = ReadScript(value, childPath); break;
                case "RequiresPrivilege": privilege = ReadBoolean(value, childPath); break;
                case "BootstrapOnRollback": onRollback = ReadBoolean(value, childPath); break;
                case "Skipif": skipif = ReadSkipif(value, childPath); break;
                case "Timeout": timeout = ReadTimeout(value, childPath); break;
                default: setenv = ReadEnvironment(value, childPath) ?? new Dictionary<string, string>(); break;
            }
        }

        if (!seen.Contains("Script"))
        {
            ErrorAtValue(path, "missing required field Script");
        }

        return script is null ? null : new LifecycleStep
        {
            Script = script, RequiresPrivilege = privilege, Skipif = skipif, Timeout = timeout, Setenv = setenv,
            BootstrapOnRollback = onRollback,
        };
    }

    private string? ReadScript(JsonNode? node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        if (node is JsonObject choice && IsSelectionLevel(choice, path))
        {
            ForEachSelected(choice, path, (child, p) => ReadScript(child, p));
            return null;
        }

        ErrorAtValue(path, $"expected a string, found {Describe(node)}");
        return null;
    }

    private bool? ReadBoolean(JsonNode? node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String && bool.TryParse(text.GetValue<string>(), out var parsed))
        {
            return parsed;
        }

        ErrorAtValue(path, $"expected true or false, found {Describe(node)}");
        return null;
    }

    private int? ReadTimeout(JsonNode? node, string path)
    {
        var text = node is JsonValue value && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
            ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString())
            : null;
        if (text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        var isNumber = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        ErrorAtValue(path, isNumber
            ? $"expected a whole number of seconds, 0 or more, found {Describe(node)}"
            : $"expected a number, found {Describe(node)}");
        return null;
    }

    private string? ReadSkipif(JsonNode? node, string path)
    {
        var text = ReadScript(node, path);
        if (text is not null && !SkipifSyntax().IsMatch(text))
        {
            ErrorAtValue(path, $"expected \"onpath <program>\" or \"exists <file>\", found \"{text}\"");
        }

        return text;
    }

    private Dictionary<string, string>? ReadEnvironment(JsonNode? node, string path)
    {
        if (node is not JsonObject map)
        {
            ErrorAtValue(path, $"expected an object of environment variables, found {Describe(node)}");
            return null;
        }

        if (IsSelectionLevel(map, path))
        {
            ForEachSelected(map, path, (child, p) => ReadEnvironment(child, p));
            return null;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            if (value is JsonValue scalar)
            {
                environment[key] = scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : scalar.ToJsonString();
            }
            else if (value is not null)
            {
                ErrorAtValue(BindContext.Join(path, key), $"expected a string, found {Describe(value)}");
            }
        }

        return environment;
    }

    private bool IsSelectionLevel(JsonObject level, string path)
    {
        if (selectionKeys.Count == 0 || !level.Any(p => selectionKeys.Contains(p.Key)))
        {
            return false;
        }

        foreach (var (key, _) in level)
        {
            if (!selectionKeys.Contains(key))
            {
                context.Warn(BindContext.Join(path, key), marks?.Key(BindContext.Join(path, key)),
                    $"\"{key}\" is not a selection keyword at a selection level (ignored)");
            }
        }

        return true;
    }

    private void ForEachSelected(JsonObject level, string path, Action<JsonNode?, string> read)
    {
        foreach (var (key, value) in level)
        {
            if (selectionKeys.Contains(key))
            {
                read(value, BindContext.Join(path, key));
            }
        }
    }

    private static string? Match(string key, string[] known) =>
        Array.Find(known, k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private void ErrorAtKey(string path, string message) => context.Error(path, marks?.Key(path), message);

    private void ErrorAtValue(string path, string message) => context.Error(path, marks?.Value(path), message);

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        _ => node.ToJsonString(),
    };

    [GeneratedRegex(@"^!?(exists|onpath) +.+$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex SkipifSyntax();
}
