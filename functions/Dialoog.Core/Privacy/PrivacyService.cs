using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Actions;
using Dialoog.Core.Invitations;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Privacy;

/// <summary>What is kept of a process after its personal data is gone: counts only, no names, no addresses, no texts.</summary>
public sealed record RetentionSummary(
    string ProcessId,
    string Phase,
    DateTimeOffset CreatedAt,
    DateTimeOffset EndedAt,
    DateTimeOffset PurgedAt,
    string Reason,
    int Participants,
    int Attendees,
    int SessionsHeld,
    int SessionsCancelled,
    int Escalations,
    int FollowUps,
    int EmailsSent,
    int MinutesVersions);

/// <summary>One person's data, found by e-mail address, for an AVG (GDPR) access request.</summary>
public sealed record PersonalDataExport(
    IReadOnlyList<ParticipationExport> Participations,
    IReadOnlyList<FollowUpExport> FollowUps,
    IReadOnlyList<RoleExport> Roles)
{
    /// <summary>What the process timelines say about the person (the latest entries each process keeps).</summary>
    public IReadOnlyList<TimelineExport> TimelineNotes { get; init; } = [];

    /// <summary>The minutes the person receives: every version of the sessions of processes where they said yes.</summary>
    public IReadOnlyList<MinutesExport> Minutes { get; init; } = [];
}

public sealed record TimelineExport(string ProcessId, DateTime AtUtc, string Text);

public sealed record MinutesExport(string ProcessId, string SessionId, int Version, string FileName, DateTime UploadedUtc);

public sealed record ParticipationExport(string ProcessId, string Topic, ParticipantRecord Participant);

public sealed record FollowUpExport(string ProcessId, string Role, FollowUpRecord Item);

/// <summary>A process in which the person is coordinator, escalation contact, facilitator or group manager.</summary>
public sealed record RoleExport(string ProcessId, string Topic, string Role, string Name);

/// <summary>The outcome of an erasure request: where the person is gone, and where they could not be erased yet and why.</summary>
public sealed record ErasureResult(IReadOnlyList<string> ErasedProcesses, IReadOnlyList<ErasureBlocked> Blocked);

/// <param name="Reason">In Dutch, for the coordinator or privacy officer who asked.</param>
public sealed record ErasureBlocked(string ProcessId, string Reason);

/// <summary>
/// Who an export or erasure is about: an e-mail address (any case), or a phone number for someone reached without
/// e-mail, in international form so that 06-12345678 and +31612345678 are the same person.
/// </summary>
public sealed record PersonLookup
{
    private PersonLookup(string? email, string? phone) => (Email, Phone) = (email, phone);

    public string? Email { get; }

    /// <summary>International form: +31612345678.</summary>
    public string? Phone { get; }

    public static PersonLookup ByEmail(string email) => new(email?.Trim() ?? throw new ArgumentNullException(nameof(email)), null);

    /// <summary>Null when the number cannot be called (see <see cref="PhoneNumbers.ToInternational"/>).</summary>
    public static PersonLookup? ByPhone(string? phone) => PhoneNumbers.ToInternational(phone) is { } international ? new(null, international) : null;

    public bool Matches(string? email, string? phone) =>
        Email is not null ? email is not null && string.Equals(email.Trim(), Email, StringComparison.OrdinalIgnoreCase)
            : phone is not null && PhoneNumbers.ToInternational(phone) == Phone;
}

/// <summary>
/// The AVG side of Dialoog: retention purge of ended processes (history, tables, minutes; an anonymous summary stays),
/// and access and erasure for one person by e-mail address. Logs never name the person: counts and process ids only.
/// </summary>
public sealed class PrivacyService(
    DurableTaskClient client,
    TableServiceClient tables,
    ParticipantDirectory participants,
    FollowUpDirectory followUps,
    MinutesStore minutes,
    StoredDataScrubber scrubber,
    InitiativeIntake intake,
    IdempotencyKeys idempotencyKeys,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<PrivacyService> logger,
    SignUpIntake? signUps = null)
{
    private readonly string hub = TaskHubName.From(configuration);

    public TableClient SummaryTable => tables.GetTableClient(hub + "RetentionSummary");

    /// <summary>
    /// Purges every ended dialogue process whose retention period is over, and forgets Idempotency-Keys past their
    /// window. Returns how many processes were purged.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await idempotencyKeys.ForgetExpiredAsync(cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            // Housekeeping only: the purge of personal data must not wait for it (the next round tries again).
            logger.LogWarning(ex, "Forgetting expired Idempotency-Keys failed; trying again next round.");
        }

        // Unconfirmed initiatives: only kept while their confirmation link works.
        var unconfirmed = await intake.DeleteExpiredAsync(cancellationToken);
        if (unconfirmed > 0)
        {
            logger.LogInformation("{Count} unconfirmed initiative(s) deleted: their confirmation time is over.", unconfirmed);
        }

        // Unconfirmed sign-ups likewise.
        var unconfirmedSignUps = signUps is null ? 0 : await signUps.DeleteExpiredAsync(cancellationToken);
        if (unconfirmedSignUps > 0)
        {
            logger.LogInformation("{Count} unconfirmed sign-up(s) deleted: their confirmation time is over.", unconfirmedSignUps);
        }

        var purged = 0;
        string? continuation = null;
        var now = time.GetUtcNow();
        do
        {
            (IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken) page;
            try
            {
                page = await client.QueryPageAsync(
                    ProcessIds.Prefix,
                    continuation,
                    fetchInputsAndOutputs: true,
                    statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
                    cancellationToken: cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && continuation is null)
            {
                // A new task hub whose tables the worker has not created yet (the purge starts with it): nothing to purge.
                return 0;
            }

            foreach (var instance in page.Instances.Where(i => i.Name == nameof(DialogueProcessOrchestrator)))
            {
                var retention = instance.ReadInputAs<DialogueProcessInput>()?.Definition.Policy.Retention ?? TimeSpan.FromDays(365);
                if (instance.LastUpdatedAt + retention <= now && await PurgeProcessAsync(instance, "retention", cancellationToken))
                {
                    purged++;
                }
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        return purged;
    }

    /// <summary>
    /// Removes all personal data of one ended process: its follow-up instances and its own history, its rows in the
    /// participants, follow-ups, sent-mail and calendar tables, and its minutes; writes the anonymous summary first.
    /// The instance itself goes last, so an interrupted purge is finished by the next round. False when it was not
    /// purged now (still running, or a follow-up still running: that one is terminated and the next round finishes).
    /// </summary>
    public async Task<bool> PurgeProcessAsync(OrchestrationMetadata instance, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!instance.RuntimeStatus.IsTerminal())
        {
            return false;
        }

        var items = await followUps.ListAsync(instance.InstanceId, null, cancellationToken);
        var childrenEnded = true;
        foreach (var item in items)
        {
            var child = await client.GetInstanceAsync(FollowUpItem.InstanceIdFor(item.ProcessId, item.Id), cancellation: cancellationToken);
            if (child is not null && child.IsActive())
            {
                await client.TerminateInstanceAsync(FollowUpItem.InstanceIdFor(item.ProcessId, item.Id), "Het traject is afgelopen; de persoonsgegevens worden verwijderd.", cancellationToken);
                childrenEnded = false;
            }
        }

        if (!childrenEnded)
        {
            logger.LogInformation("Purge of process {ProcessId} waits for its follow-ups to stop.", instance.InstanceId);
            return false;
        }

        var outcome = instance.ReadOutputAs<ProcessOutcome>();
        var minutesVersions = (await minutes.ListAsync(instance.InstanceId, null, cancellationToken)).Count;
        var sentMail = tables.GetTableClient(hub + "SentMail");
        var mailRows = await RowsAsync(sentMail, TableClient.CreateQueryFilter($"ProcessId eq {instance.InstanceId}"), cancellationToken);
        var summary = new RetentionSummary(
            instance.InstanceId,
            outcome?.Phase ?? instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            time.GetUtcNow(),
            reason,
            outcome?.Participants ?? 0,
            outcome?.Attendees ?? 0,
            outcome?.SessionsHeld ?? 0,
            outcome?.SessionsCancelled ?? 0,
            outcome?.Escalations ?? 0,
            items.Count,
            mailRows.Count,
            minutesVersions);
        await SummaryTable.CreateIfNotExistsAsync(cancellationToken);
        await SummaryTable.UpsertEntityAsync(ToEntity(summary), TableUpdateMode.Replace, cancellationToken);

        var blobs = await minutes.DeleteProcessAsync(instance.InstanceId, cancellationToken);
        await DeleteAsync(sentMail, mailRows, cancellationToken);
        foreach (var table in new[] { "Participants", "FollowUps", "CalendarEvents", "PendingInitiatives", "PendingSignUps" })
        {
            var rows = tables.GetTableClient(hub + table);
            await DeleteAsync(rows, await RowsAsync(rows, TableClient.CreateQueryFilter($"PartitionKey eq {instance.InstanceId}"), cancellationToken), cancellationToken);
        }

        foreach (var item in items)
        {
            await client.PurgeInstanceAsync(FollowUpItem.InstanceIdFor(item.ProcessId, item.Id), cancellationToken);
        }

        // Before the instance goes: an Idempotency-Key that named this process must find it purged, not missing.
        await idempotencyKeys.RememberPurgedAsync(instance.InstanceId, cancellationToken);
        await client.PurgeInstanceAsync(instance.InstanceId, cancellationToken);
        logger.LogInformation(
            "Personal data of process {ProcessId} purged ({Reason}): history with {FollowUps} follow-up(s), {Mails} sent-mail row(s), {Blobs} minutes file(s); anonymous summary kept.",
            instance.InstanceId, reason, items.Count, mailRows.Count, blobs);
        return true;
    }

    /// <summary>Everything stored about the person with this address (any case).</summary>
    public Task<PersonalDataExport> ExportAsync(string email, CancellationToken cancellationToken) => ExportAsync(PersonLookup.ByEmail(email), cancellationToken);

    /// <summary>Everything stored about the person with this address or phone number.</summary>
    public async Task<PersonalDataExport> ExportAsync(PersonLookup who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        var participations = new List<ParticipationExport>();
        var items = new List<FollowUpExport>();
        var roles = new List<RoleExport>();
        var notes = new List<TimelineExport>();
        var seen = new List<MinutesExport>();
        foreach (var instance in await ProcessesAsync(cancellationToken))
        {
            var definition = instance.ReadInputAs<DialogueProcessInput>()?.Definition;
            if (definition is null)
            {
                continue;
            }

            var topic = definition.Topic;
            var found = who.Email is { } email
                ? await participants.FindByEmailAsync(instance.InstanceId, email, cancellationToken)
                : await participants.FindByPhoneAsync(instance.InstanceId, who.Phone!, cancellationToken);
            if (found is { } participant)
            {
                participations.Add(new ParticipationExport(instance.InstanceId, topic, participant));
                var person = new ErasedPerson(who.Email ?? participant.Email, participant.Name, "", "", participant.Id) { Phone = who.Phone };
                foreach (var entry in instance.ReadCustomStatusAs<ProcessStatus>()?.Timeline ?? [])
                {
                    if (PersonScrubber.Mentions(entry.Text, person))
                    {
                        notes.Add(new TimelineExport(instance.InstanceId, entry.AtUtc, entry.Text));
                    }
                }

                if (participant.Answer == Answers.Yes && !participant.Waitlisted)
                {
                    seen.AddRange((await minutes.ListAsync(instance.InstanceId, null, cancellationToken))
                        .Select(v => new MinutesExport(instance.InstanceId, v.SessionId, v.Version, v.FileName, v.UploadedUtc)));
                }
            }

            foreach (var item in await followUps.ListAsync(instance.InstanceId, null, cancellationToken))
            {
                if (who.Matches(item.Owner.Email, item.Owner.Phone))
                {
                    items.Add(new FollowUpExport(instance.InstanceId, "eigenaar", item));
                }
                else if (item.Submitter is { } submitter && who.Matches(submitter.Email, submitter.Phone))
                {
                    items.Add(new FollowUpExport(instance.InstanceId, "indiener", item));
                }
            }

            void Role(string role, Person? holder)
            {
                if (holder is not null && who.Matches(holder.Email, holder.Phone))
                {
                    roles.Add(new RoleExport(instance.InstanceId, topic, role, holder.Name));
                }
            }

            Role("coördinator", definition.Coordinator);
            Role("escalatiecontact", definition.EscalationContact);
            foreach (var session in definition.Sessions)
            {
                Role("gespreksbegeleider", session.Facilitator);
            }

            foreach (var group in definition.Groups)
            {
                Role("manager van " + group.Name, group.Manager);
            }
        }

        logger.LogInformation("Privacy export: {Participations} participation(s), {FollowUps} follow-up(s), {Roles} role(s) found.", participations.Count, items.Count, roles.Count);
        return new PersonalDataExport(participations, items, roles) { TimelineNotes = notes, Minutes = seen };
    }

    /// <summary>
    /// Erases the person from every process they appear in, and nobody else: their rows, their name and address in
    /// the process's state and history, their remarks, who-uploaded on minutes, their calendar attendance. In a running
    /// process a participant is first replaced by a placeholder by the process itself (their answer still counts);
    /// a role the running process needs (coordinator, escalation contact, facilitator, manager, owner of an open
    /// agreement) blocks erasure there until someone else takes it or the process ends: the result says which.
    /// Safe to repeat: a second request finishes what a blocked or interrupted one left.
    /// </summary>
    public Task<ErasureResult> EraseAsync(string email, CancellationToken cancellationToken) => EraseAsync(PersonLookup.ByEmail(email), cancellationToken);

    /// <summary>As above, for the person with this address or phone number.</summary>
    public async Task<ErasureResult> EraseAsync(PersonLookup who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        var found = await ExportAsync(who, cancellationToken);
        var ids = found.Participations.Select(p => p.ProcessId)
            .Concat(found.FollowUps.Select(f => f.ProcessId))
            .Concat(found.Roles.Select(r => r.ProcessId))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var erased = new List<string>();
        var blocked = new List<ErasureBlocked>();
        foreach (var id in ids)
        {
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is not { } instance)
            {
                continue;
            }

            var participation = found.Participations.FirstOrDefault(p => p.ProcessId == id)?.Participant;
            var running = !instance.RuntimeStatus.IsTerminal();
            if (running && await BlockerAsync(found, id, cancellationToken) is { } reason)
            {
                blocked.Add(new ErasureBlocked(id, reason));
                continue;
            }

            if (running && participation is not null && !await ProcessErasesAsync(id, participation.Id, cancellationToken))
            {
                blocked.Add(new ErasureBlocked(id, "Het traject is nog bezig met het verzoek. Probeer het over een minuut opnieuw."));
                continue;
            }

            // Every name the person has in this process (as participant, in a role, as owner) goes.
            var names = new[] { participation?.Name }
                .Concat(found.Roles.Where(r => r.ProcessId == id).Select(r => r.Name))
                .Concat(found.FollowUps.Where(f => f.ProcessId == id).Select(f => f.Role == "eigenaar" ? f.Item.Owner.Name : f.Item.Submitter?.Name))
                .Where(n => !string.IsNullOrWhiteSpace(n))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .DefaultIfEmpty("")
                .ToList();
            // Found by phone, their address (if they had one besides) goes too; found by address, so does their phone.
            var email = who.Email ?? participation?.Email ?? "";
            var phone = who.Phone ?? PhoneNumbers.ToInternational(participation?.Phone);
            foreach (var name in names)
            {
                var person = participation is not null
                    ? new ErasedPerson(email, name!, DialogueState.ErasedEmail(participation.Id), DialogueState.ErasedName, participation.Id) { Phone = phone }
                    : new ErasedPerson(email, name!, ErasedEmail, ErasedName, null) { Phone = phone };
                await scrubber.ScrubAsync(id, person, cancellationToken);
            }

            erased.Add(id);
        }

        logger.LogInformation("Privacy erasure: erased from {Erased} process(es), blocked in {Blocked}.", erased.Count, blocked.Count);
        return new ErasureResult(erased, blocked);
    }

    /// <summary>How someone who is not a participant is called after erasure.</summary>
    public const string ErasedName = "Gewiste persoon";

    public const string ErasedEmail = "gewist@dialoog.invalid";

    /// <summary>Why a running process still needs the person, or null when it does not.</summary>
    private async Task<string?> BlockerAsync(PersonalDataExport found, string processId, CancellationToken cancellationToken)
    {
        if (found.Roles.FirstOrDefault(r => r.ProcessId == processId) is { } role)
        {
            return $"Deze persoon is {role.Role} in dit lopende traject. Kies eerst iemand anders voor die rol, of wacht tot het traject is afgelopen.";
        }

        foreach (var item in found.FollowUps.Where(f => f.ProcessId == processId))
        {
            var child = await client.GetInstanceAsync(FollowUpItem.InstanceIdFor(item.Item.ProcessId, item.Item.Id), cancellation: cancellationToken);
            if (child is not null && child.IsActive())
            {
                return item.Role == "eigenaar"
                    ? $"Deze persoon is eigenaar van de lopende afspraak '{item.Item.Title}'. Sluit die eerst, of wacht tot die klaar is."
                    : $"Deze persoon heeft het lopende initiatief '{item.Item.Title}' ingediend. Sluit dat eerst, of wacht tot het klaar is.";
            }
        }

        return null;
    }

    /// <summary>Asks the running process to replace the participant and waits until it has (its record shows it).</summary>
    private async Task<bool> ProcessErasesAsync(string processId, string participantId, CancellationToken cancellationToken)
    {
        await client.SignalAsync(processId, new ErasePersonSignal(participantId), cancellationToken);
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (time.GetUtcNow() < until)
        {
            if ((await participants.FindAsync(processId, participantId, cancellationToken))?.Email == DialogueState.ErasedEmail(participantId))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return false;
    }

    /// <summary>The anonymous summaries kept after purges.</summary>
    public async Task<IReadOnlyList<RetentionSummary>> SummariesAsync(CancellationToken cancellationToken)
    {
        await SummaryTable.CreateIfNotExistsAsync(cancellationToken);
        var result = new List<RetentionSummary>();
        await foreach (var entity in SummaryTable.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            result.Add(DurableJson.Deserialize<RetentionSummary>(entity.GetString("Json"))!);
        }

        return result;
    }

    private async Task<List<OrchestrationMetadata>> ProcessesAsync(CancellationToken cancellationToken)
    {
        var all = new List<OrchestrationMetadata>();
        string? continuation = null;
        do
        {
            var page = await client.QueryPageAsync(ProcessIds.Prefix, continuation, fetchInputsAndOutputs: true, cancellationToken: cancellationToken);
            all.AddRange(page.Instances.Where(i => i.Name == nameof(DialogueProcessOrchestrator)));
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        return all;
    }

    private static TableEntity ToEntity(RetentionSummary summary) => new("summary", summary.ProcessId)
    {
        ["Json"] = DurableJson.Serialize(summary),
        ["PurgedAt"] = summary.PurgedAt,
        ["Participants"] = summary.Participants,
    };

    private static async Task<List<(string PartitionKey, string RowKey)>> RowsAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = new List<(string, string)>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                rows.Add((entity.PartitionKey, entity.RowKey));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table was never created: nothing to delete.
        }

        return rows;
    }

    private static async Task DeleteAsync(TableClient table, IEnumerable<(string PartitionKey, string RowKey)> rows, CancellationToken cancellationToken)
    {
        foreach (var (partitionKey, rowKey) in rows)
        {
            try
            {
                await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another worker's purge of the same process got there first.
            }
        }
    }
}
