using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dialoog.Durable.Worker;

/// <summary>
/// The only thing queues carry: "look at this instance" (and, for timers, "at this time"). All state lives in the
/// instance's table partition, so a lost, late or duplicate wake-up never changes what happens, only when.
/// </summary>
internal sealed record WakeMessage(
    [property: JsonPropertyName("i")] string InstanceId,
    [property: JsonPropertyName("at")] DateTimeOffset? FireAt = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static WakeMessage? TryParse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<WakeMessage>(body);
            return string.IsNullOrEmpty(message?.InstanceId) ? null : message;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
