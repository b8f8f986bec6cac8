using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

/// <summary>A failure that becomes a Kubernetes <c>Status</c> object with the given code and reason.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;

    public static ApiException NotFound(ResourceType t, string name) =>
        new(404, "NotFound", $"{t.QualifiedResource} \"{name}\" not found", Detail(t, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException AlreadyExists(ResourceType t, string name) =>
        new(409, "AlreadyExists", $"{t.QualifiedResource} \"{name}\" already exists", Detail(t, name));

    public static ApiException Conflict(ResourceType t, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {t.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Detail(t, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException Forbidden(string message) => new(403, "Forbidden", message);

    public static ApiException TooLarge(string message) => new(413, "RequestEntityTooLarge", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    /// <summary>422 Invalid with one cause per field, the way the API server reports validation errors.</summary>
    public static ApiException Invalid(ResourceType t, string name, IReadOnlyList<FieldError> errors)
    {
        var details = Detail(t, name);
        details["kind"] = t.Kind;
        details["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject
        {
            ["reason"] = e.Reason,
            ["message"] = e.Message,
            ["field"] = e.Field,
        })]);
        var summary = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        return new ApiException(422, "Invalid", $"{t.QualifiedKind} \"{name}\" is invalid: {summary}", details);
    }

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["details"] = Details?.DeepClone(),
        ["code"] = Code,
    };

    private static JsonObject Detail(ResourceType t, string name) =>
        new() { ["name"] = name, ["group"] = t.Group, ["kind"] = t.Resource };
}

/// <summary>One field-level validation error (a <c>StatusCause</c>).</summary>
internal sealed record FieldError(string Field, string Reason, string Message)
{
    public static FieldError Required(string field) => new(field, "FieldValueRequired", "Required value");

    public static FieldError InvalidValue(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {value?.ToJsonString() ?? "null"}: {detail}");

    public static FieldError Unsupported(string field, JsonNode? value, IEnumerable<string> allowed) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {value?.ToJsonString() ?? "null"}: supported values: {string.Join(", ", allowed)}");

    public static FieldError TypeMismatch(string field, JsonNode? value, string type) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: \"{Describe(value)}\": {field} in body must be of type {type}: \"{Describe(value)}\"");

    public static FieldError UnknownField(string field) =>
        new(field, "FieldValueInvalid", $"unknown field \"{field}\"");

    public override string ToString() => $"{Field}: {Message}";

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind().ToString().ToLowerInvariant(),
        _ => "unknown",
    };
}
