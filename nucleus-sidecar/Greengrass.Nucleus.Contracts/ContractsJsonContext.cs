using System.Text.Json.Serialization;

namespace Greengrass.Nucleus.Contracts;

/// <summary>
/// Source-generated System.Text.Json metadata for the plan and report, so they serialize without reflection
/// (trimmed and NativeAOT builds). Names are camelCase; enums use their Greengrass wire names; a null where the
/// type does not allow one is an error naming the field.
/// </summary>
// Optional members that have a default use `set`, not `init`: the generator assigns every init-only member in the
// object initializer, so a member missing from the document would become null instead of keeping its default.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    WriteIndented = false)]
[JsonSerializable(typeof(DevicePlan))]
[JsonSerializable(typeof(DeviceReport))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
