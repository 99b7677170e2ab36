using System.Text.Json;
using Azure.Data.Tables;

namespace Dialoog.Core.Calendar;

/// <summary>A session's event in the organizer's calendar, and the Outlook replies already passed on to the process.</summary>
/// <param name="Responses">Attendee address (upper case) → the answer last read from the event.</param>
public sealed record CalendarEventRecord(string ProcessId, string SessionId, string EventId, DateTime EndUtc, bool Cancelled, IReadOnlyDictionary<string, string> Responses);

/// <summary>
/// The Graph event id per session in the table <c>&lt;TaskHub&gt;CalendarEvents</c> (partition = process, row = session).
/// The activity that creates an event writes the id here, so a repeat updates instead of creating again; the reply
/// poller reads here which events to look at. No attendee names, only the addresses that replied.
/// </summary>
public sealed class CalendarEventStore(TableServiceClient tables, IConfiguration configuration)
{
    private readonly TableClient _table = tables.GetTableClient((configuration["Durable:TaskHub"] ?? "dialoog") + "CalendarEvents");
    private volatile bool _created;

    public async Task<CalendarEventRecord?> FindAsync(string processId, string sessionId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(processId, sessionId, cancellationToken: cancellationToken);
        return row.HasValue ? ToRecord(row.Value!) : null;
    }

    /// <summary>Records the event id and the session's end; keeps the replies read so far.</summary>
    public async Task SaveAsync(string processId, string sessionId, string eventId, DateTime endUtc, bool cancelled, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var entity = new TableEntity(processId, sessionId)
        {
            ["EventId"] = eventId,
            ["EndUtc"] = DateTime.SpecifyKind(endUtc, DateTimeKind.Utc),
            ["Cancelled"] = cancelled,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task SaveResponsesAsync(CalendarEventRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(record.ProcessId, record.SessionId) { ["Responses"] = JsonSerializer.Serialize(record.Responses) };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Events whose replies still matter: not cancelled, session not over.</summary>
    public async Task<IReadOnlyList<CalendarEventRecord>> ActiveAsync(DateTime nowUtc, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var result = new List<CalendarEventRecord>();
        var filter = TableClient.CreateQueryFilter($"Cancelled eq false and EndUtc gt {DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(ToRecord(entity));
        }

        return result;
    }

    private static CalendarEventRecord ToRecord(TableEntity entity)
    {
        var responses = entity.GetString("Responses") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : [];
        return new CalendarEventRecord(
            entity.PartitionKey,
            entity.RowKey,
            entity.GetString("EventId") ?? "",
            entity.GetDateTimeOffset("EndUtc")?.UtcDateTime ?? DateTime.MinValue,
            entity.GetBoolean("Cancelled") ?? false,
            responses);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
    }
}
