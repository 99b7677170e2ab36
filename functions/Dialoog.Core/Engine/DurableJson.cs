using System.Text.Json;

namespace Dialoog.Core.Engine;

/// <summary>
/// One serializer setting for every payload the app writes itself (table rows, signals, carried state), the same as
/// the engine's data converter, so history written today reads back the same in a year.
/// </summary>
public static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
