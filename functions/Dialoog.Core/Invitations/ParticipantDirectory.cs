using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Storage;

namespace Dialoog.Core.Invitations;

/// <summary>One participant as the coordinator's overview shows it (the orchestration owns the truth; this is its copy).</summary>
public sealed record ParticipantRecord(
    string Id,
    string Name,
    string Email,
    string Group,
    string Language,
    string? Answer,
    string? Remark,
    bool Waitlisted,
    int RemindersSent,
    DateTime InvitedUtc,
    DateTime? RepliedUtc,
    string? LateAnswer)
{
    /// <summary>For someone without e-mail (<see cref="Email"/> empty): how the coordinator reaches them.</summary>
    public string? Phone { get; init; }

    public string? Address { get; init; }

    /// <summary>Without e-mail: since when the reminder cadence says they need a reminder (the call list shows it).</summary>
    public DateTime? CallReminderSinceUtc { get; init; }

    /// <summary>Who noted the current answer for them, and how it was given (<see cref="Processes.ReplyChannels"/>).</summary>
    public string? RecordedBy { get; init; }

    public string? RecordedChannel { get; init; }

    /// <summary>Joined through the public sign-up page (<see cref="Links.SignUpLinks"/>), not invited.</summary>
    public bool SignedUp { get; init; }

    /// <summary>Their answers to the sign-up questions; personal data (export, erasure, retention).</summary>
    public IReadOnlyList<Processes.Definition.SignUpAnswer>? SignUpAnswers { get; init; }

    /// <summary>Without e-mail: changes they must still hear about by phone or letter (the call list shows them).</summary>
    public IReadOnlyList<CallNotice>? Notices { get; init; }
}

public sealed record RecordParticipantsRequest(string ProcessId, IReadOnlyList<ParticipantRecord> Participants);

/// <summary>
/// Participants per process in a table (partition = process), so the API and pages can show who replied what
/// without reading orchestration history, and the custom status can stay small.
/// </summary>
public sealed class ParticipantDirectory(TableServiceClient tables, IConfiguration configuration)
{
    private readonly AppTable _table = new(tables, configuration, "Participants");

    public async Task UpsertAsync(RecordParticipantsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _table.EnsureAsync(cancellationToken);
        foreach (var chunk in request.Participants.Chunk(100))
        {
            // One transaction per 100 rows: the table's batch limit, and one partition per process.
            var actions = chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(request.ProcessId, p)));
            await _table.Client.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<ParticipantRecord>> ListAsync(string processId, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var result = new List<ParticipantRecord>();
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == processId, cancellationToken: cancellationToken))
        {
            var json = entity.GetString("Json");
            if (json is not null && DurableJson.Deserialize<ParticipantRecord>(json) is { } record)
            {
                result.Add(record);
            }
        }

        return result.OrderBy(p => int.TryParse(p.Id.AsSpan(1), out var n) ? n : int.MaxValue).ToList();
    }

    public Task<ParticipantRecord?> FindAsync(string processId, string participantId, CancellationToken cancellationToken) =>
        _table.FindJsonAsync<ParticipantRecord>(processId, participantId, cancellationToken);

    /// <summary>The participant of a process with this address (any case), e.g. an attendee who replied in Outlook.</summary>
    public async Task<ParticipantRecord?> FindByEmailAsync(string processId, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        await _table.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and Email eq {email.ToUpperInvariant()}");
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return DurableJson.Deserialize<ParticipantRecord>(entity.GetString("Json"));
        }

        return null;
    }

    /// <summary>
    /// Everyone without e-mail in any process, by process id: the dashboard counts their call lists with one query
    /// instead of one per process.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, List<ParticipantRecord>>> ListWithoutEmailAsync(CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var result = new Dictionary<string, List<ParticipantRecord>>(StringComparer.Ordinal);
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>("Email eq ''", cancellationToken: cancellationToken))
        {
            if (DurableJson.Deserialize<ParticipantRecord>(entity.GetString("Json")) is { } record)
            {
                (result.TryGetValue(entity.PartitionKey, out var list) ? list : result[entity.PartitionKey] = []).Add(record);
            }
        }

        return result;
    }

    /// <summary>
    /// The participant of a process with this phone number, however it was typed (06-12345678 and +31 6 12345678 are
    /// one number). <paramref name="international"/> is the <see cref="Processes.Definition.PhoneNumbers.ToInternational"/> form.
    /// </summary>
    public async Task<ParticipantRecord?> FindByPhoneAsync(string processId, string international, CancellationToken cancellationToken) =>
        (await ListAsync(processId, cancellationToken)).FirstOrDefault(p => p.Phone is not null && Processes.Definition.PhoneNumbers.ToInternational(p.Phone) == international);

    public async Task DeleteProcessAsync(string processId, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == processId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await _table.Client.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
        }
    }

    private static TableEntity ToEntity(string processId, ParticipantRecord participant) =>
        new(processId, participant.Id)
        {
            ["Email"] = participant.Email.ToUpperInvariant(),
            ["Json"] = DurableJson.Serialize(participant),
        };
}

public sealed class RecordParticipantsActivity(ParticipantDirectory directory) : TaskActivity<RecordParticipantsRequest, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, RecordParticipantsRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        await directory.UpsertAsync(input, CancellationToken.None);
        return input.Participants.Count;
    }
}
