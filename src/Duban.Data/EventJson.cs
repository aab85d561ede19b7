using System.Text.Json;
using System.Text.Json.Serialization;
using Duban.Matters;

namespace Duban.Data;

/// <summary>How event facts are written to the database: camelCase, enums by name, nulls left out.</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(MatterEventData data) => JsonSerializer.Serialize(data, Options);

    public static MatterEventData Deserialize(string json) =>
        JsonSerializer.Deserialize<MatterEventData>(json, Options) ?? new MatterEventData();
}
