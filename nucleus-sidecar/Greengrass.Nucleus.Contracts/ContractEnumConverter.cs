using System.Text.Json;
using System.Text.Json.Serialization;

namespace Greengrass.Nucleus.Contracts;

// Enum values travel as the Greengrass wire names (UPPER_SNAKE_CASE unless a member names itself with
// JsonStringEnumMemberName). Integers are refused so that a typo in a ConfigMap is an error, not a silent default.
internal sealed class ContractEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public ContractEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false)
    {
    }
}
