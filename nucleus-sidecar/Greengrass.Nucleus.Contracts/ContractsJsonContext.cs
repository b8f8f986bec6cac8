using System.Text.Json.Serialization;

namespace Greengrass.Nucleus.Contracts;

/// <summary>
/// Source-generated System.Text.Json metadata for the plan and report, so they serialize without reflection
/// (trimmed and NativeAOT builds). Names are camelCase; enums use their Greengrass wire names.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    WriteIndented = false)]
[JsonSerializable(typeof(DevicePlan))]
[JsonSerializable(typeof(DeviceReport))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
