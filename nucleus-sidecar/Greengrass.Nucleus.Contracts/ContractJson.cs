using System.Text.Json;

namespace Greengrass.Nucleus.Contracts;

/// <summary>Reads and writes the plan and report as versioned JSON, validating what it reads.</summary>
public static class ContractJson
{
    /// <summary>Serializes a plan to compact JSON.</summary>
    /// <param name="plan">The plan to write.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializePlan(DevicePlan plan) =>
        JsonSerializer.Serialize(plan, ContractsJsonContext.Default.DevicePlan);

    /// <summary>Reads a plan and validates it.</summary>
    /// <param name="json">The JSON text, for example the value of the device's ConfigMap key.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ContractFormatException">The JSON is malformed, the schema version is unknown or a field is invalid; the message names the field.</exception>
    public static DevicePlan DeserializePlan(string json)
    {
        var plan = Read(json, "DevicePlan", static (text, ctx) => JsonSerializer.Deserialize(text, ctx.DevicePlan));
        var errors = DevicePlanValidator.Validate(plan);
        return errors.Count == 0 ? plan : throw new ContractFormatException("DevicePlan", errors);
    }

    /// <summary>Serializes a report to compact JSON.</summary>
    /// <param name="report">The report to write.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializeReport(DeviceReport report) =>
        JsonSerializer.Serialize(report, ContractsJsonContext.Default.DeviceReport);

    /// <summary>Reads a report.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ContractFormatException">The JSON is malformed or the schema version is unknown.</exception>
    public static DeviceReport DeserializeReport(string json)
    {
        var report = Read(json, "DeviceReport", static (text, ctx) => JsonSerializer.Deserialize(text, ctx.DeviceReport));
        if (report.SchemaVersion != DeviceReport.CurrentSchemaVersion)
        {
            throw new ContractFormatException("DeviceReport",
                [$"schemaVersion: {report.SchemaVersion} is not supported (this build reads {DeviceReport.CurrentSchemaVersion})"]);
        }

        return report;
    }

    private static T Read<T>(string json, string document, Func<string, ContractsJsonContext, T?> deserialize)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return deserialize(json, ContractsJsonContext.Default)
                ?? throw new ContractFormatException(document, ["$: the document is null"]);
        }
        catch (JsonException e)
        {
            // System.Text.Json puts the JSON path of the offending field in Path; lead with it so the field is named.
            var where = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            throw new ContractFormatException(document, [$"{where}: {e.Message}"], e);
        }
    }
}
