using System.Text.Json;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Actions;

/// <summary>
/// Follows one agreement (or initiative) until it is done: a reminder before the due date; when it stalls (overdue, or
/// no update within the stall threshold) the owner is reminded, then the coordinator is told, then the escalation
/// contact — each exactly once per stall. "Vastgelopen" goes to the coordinator at once. Every update starts the
/// ladder again, and every update continues as new, so history stays small even over a four-year council period.
/// </summary>
public sealed class FollowUpOrchestrator : TaskOrchestrator<FollowUpInput, string>
{
    private static readonly TaskOptions MailRetry = new(new RetryPolicy(5, TimeSpan.FromSeconds(5), 3, TimeSpan.FromMinutes(10)));

    public override async Task<string> RunAsync(TaskOrchestrationContext context, FollowUpInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var item = input.Item;
        var progress = input.Progress;
        if (progress is null)
        {
            // First generation (decided by the input alone, so nothing to save first): record the item, then tell the
            // owner (and, for an initiative, the one who raised it).
            // In this order, because the owner may open the link in the e-mail at once and the page reads the record.
            progress = new FollowUpProgress(FollowUpStatus.Open, null, context.CurrentUtcDateTime, LadderLevels.None, null, false, 0, 0);
            await ReportAsync(context, item, progress);
            var sends = new List<Task>();
            if (item.Submitter is { } submitter)
            {
                sends.Add(SendAsync(context, item, progress, MailKind.ActionAssigned, Owner(item), progressLink: true,
                    facts: [item.Title, $"Ingediend door: {submitter.Name} ({submitter.Email})"], note: item.Description));
                sends.Add(SendAsync(context, item, progress, MailKind.InitiativeReceived, Person("submitter", submitter), note: item.Owner.Name,
                    links: new MailLinks(LinkPurpose.InitiativeStatus, item.Id, ["status"], context.CurrentUtcDateTime.AddYears(5))));
            }
            else
            {
                sends.Add(SendAsync(context, item, progress, MailKind.ActionAssigned, Owner(item), progressLink: true));
            }

            await Task.WhenAll(sends);
        }

        // One generation waits for one thing: an update from outside, or the next step of the clock. Then it continues
        // as new with the progress so far, so the history never holds more than one step.
        using var timerCancellation = new CancellationTokenSource();
        var next = NextStep(item, progress);
        var signalTask = context.WaitForExternalEvent<FollowUpSignal>(FollowUpSignal.EventName, timerCancellation.Token);
        var timer = next is null ? null : context.CreateTimer(next.DueUtc, timerCancellation.Token);
        var winner = timer is null ? signalTask : await Task.WhenAny(signalTask, timer);
#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool: orchestrator code must stay on its own thread.
        timerCancellation.Cancel();
#pragma warning restore CA1849

        // Which came first decides what is sent: act on it only once that choice is saved (SavedStep says why).
        await new SavedStep(context).WaitAsync();
        if (winner == signalTask)
        {
            var (updated, finished) = await HandleAsync(context, item, progress, await signalTask);
            if (!finished)
            {
                context.ContinueAsNew(new FollowUpInput(item, updated with { Generation = progress.Generation + 1 }));
            }

            return updated.Status;
        }

        progress = await StepAsync(context, item, progress, next!);
        await ReportAsync(context, item, progress);
        context.ContinueAsNew(new FollowUpInput(item, progress with { Generation = progress.Generation + 1 }));
        return progress.Status;
    }

    /// <summary>The next thing the clock does for this item, if any: a reminder before the due date, or a ladder step.</summary>
    internal static LadderStep? NextStep(FollowUpItem item, FollowUpProgress progress)
    {
        if (FollowUpStatus.IsFinal(progress.Status))
        {
            return null;
        }

        var policy = item.Policy;
        if (progress.Level == LadderLevels.None)
        {
            // Stalled: no update for the threshold, or the due date passed without an update since.
            var stallAt = progress.LastUpdateUtc + policy.StallThreshold;
            var reason = "noUpdate";
            if (item.DueUtc is { } due && progress.LastUpdateUtc < due && due < stallAt)
            {
                stallAt = due;
                reason = "overdue";
            }

            if (item.DueUtc is { } dueDate && !progress.DueReminderSent && dueDate - policy.ReminderBeforeDue > progress.LastUpdateUtc
                && dueDate - policy.ReminderBeforeDue < stallAt)
            {
                return new LadderStep(LadderLevels.None, dueDate - policy.ReminderBeforeDue, "dueReminder");
            }

            return new LadderStep(LadderLevels.Owner, stallAt, reason);
        }

        var since = progress.LevelSinceUtc ?? progress.LastUpdateUtc;
        return progress.Level switch
        {
            LadderLevels.Owner => new LadderStep(LadderLevels.Coordinator, since + policy.EscalateToCoordinatorAfter, progress.StallReason ?? "noUpdate"),
            LadderLevels.Coordinator => new LadderStep(LadderLevels.Contact, since + policy.EscalateToContactAfter, progress.StallReason ?? "noUpdate"),
            _ => null, // everyone has been told; it waits for an update or for the coordinator to close it
        };
    }

    private static async Task<FollowUpProgress> StepAsync(TaskOrchestrationContext context, FollowUpItem item, FollowUpProgress progress, LadderStep step)
    {
        var now = context.CurrentUtcDateTime;
        if (step.Reason == "dueReminder")
        {
            await SendAsync(context, item, progress, MailKind.ActionReminder, Owner(item), progressLink: true);
            return progress with { DueReminderSent = true };
        }

        switch (step.Level)
        {
            case LadderLevels.Owner:
                await SendAsync(context, item, progress, MailKind.ActionStalled, Owner(item), progressLink: true, note: step.Reason);
                break;
            default:
                var to = step.Level == LadderLevels.Coordinator ? Person("coordinator", item.Coordinator) : Person("contact", item.EscalationContact);
                await SendAsync(context, item, progress, MailKind.ActionEscalation, to, facts: Facts(item, progress, step.Reason), note: OwnersReason(progress));
                break;
        }

        return progress with
        {
            Level = step.Level,
            LevelSinceUtc = now,
            StallReason = step.Level == LadderLevels.Owner ? step.Reason : progress.StallReason,
            Escalations = progress.Escalations + (step.Level >= LadderLevels.Coordinator ? 1 : 0),
        };
    }

    private static async Task<(FollowUpProgress Progress, bool Finished)> HandleAsync(
        TaskOrchestrationContext context, FollowUpItem item, FollowUpProgress progress, FollowUpSignal signal)
    {
        var now = context.CurrentUtcDateTime;
        switch (signal)
        {
            case FollowUpClosing closing:
                var closed = progress with { Status = FollowUpStatus.Closed, Reason = closing.Reason, LastUpdateUtc = now };
                await Task.WhenAll(
                    SendAsync(context, item, progress, MailKind.ActionClosed, Owner(item), note: closing.Reason),
                    ReportAsync(context, item, closed));
                await TellSubmitterAsync(context, item, progress, closing.Reason);
                return (closed, true);

            case ProgressReported report when FollowUpStatus.Reportable.Contains(report.Status) && !FollowUpStatus.IsFinal(progress.Status):
                var updated = progress with
                {
                    Status = report.Status,
                    Reason = report.Reason,
                    LastUpdateUtc = now,
                    Level = LadderLevels.None,
                    LevelSinceUtc = null,
                    StallReason = null,
                    Updates = progress.Updates + 1,
                };
                if (report.Status == FollowUpStatus.Stuck)
                {
                    // "Vastgelopen" is a call for help: the coordinator hears it now, not after the ladder's waits.
                    await SendAsync(context, item, progress, MailKind.ActionEscalation, Person("coordinator", item.Coordinator), facts: Facts(item, updated, "stuck"), note: report.Reason);
                    updated = updated with { Level = LadderLevels.Coordinator, LevelSinceUtc = now, StallReason = "stuck", Escalations = updated.Escalations + 1 };
                }

                await ReportAsync(context, item, updated);
                if (report.Status == FollowUpStatus.Done)
                {
                    await TellSubmitterAsync(context, item, progress, report.Reason);
                }

                return (updated, report.Status == FollowUpStatus.Done);

            default:
                return (progress, FollowUpStatus.IsFinal(progress.Status));
        }
    }

    /// <summary>Records the item for the API and tells the process, which counts it for its status and its end.</summary>
    private static async Task ReportAsync(TaskOrchestrationContext context, FollowUpItem item, FollowUpProgress progress)
    {
        var record = new FollowUpRecord(item.ProcessId, item.Id, item.Kind, item.Title, item.Description, item.Owner, item.Submitter, item.DueUtc,
            progress.Status, progress.Reason, progress.Level, progress.LastUpdateUtc, progress.Updates, progress.Escalations);
        await context.CallActivityAsync(nameof(RecordFollowUpActivity), record);
        var changed = new FollowUpChangedSignal(item.Id, item.Kind, item.Title, item.Owner.Name, item.DueUtc, progress.Status, progress.Level);
        context.SendEvent(item.ProcessId, ProcessSignal.EventName, JsonSerializer.SerializeToNode<ProcessSignal>(changed, DurableJson.Options)!);
    }

    private static Task SendAsync(
        TaskOrchestrationContext context,
        FollowUpItem item,
        FollowUpProgress progress,
        MailKind kind,
        MailRecipient to,
        bool progressLink = false,
        IReadOnlyList<string>? facts = null,
        string? note = null,
        MailLinks? links = null)
    {
        links ??= progressLink
            ? new MailLinks(LinkPurpose.FollowUp, item.Id, ["progress"], context.CurrentUtcDateTime.AddYears(5))
            : null;
        var request = new SendMailRequest(
            item.ProcessId,
            kind,
            to,
            new MailProcess(item.Topic, item.Area, null, item.Coordinator.Name, item.Coordinator.Email),
            [],
            AttachCalendar: false,
            ReplyDeadlineUtc: item.DueUtc,
            links,
            facts ?? [item.Title],
            note,
            ItemKind: item.Kind)
        {
            // One generation sends each kind to each person at most once, so generation, kind and person name the e-mail.
            IdempotencyKey = MailKeys.For($"{context.InstanceId}:{progress.Generation}", $"{kind}:{to.Id}"),
            ProcessNonce = item.ProcessNonce,
        };
        return context.CallActivityAsync(nameof(SendMailActivity), request, MailRetry);
    }

    /// <summary>
    /// Whoever raised an initiative hears when it is finished. Scheduled after the step's other work, so a history
    /// written before this existed replays the same up to here.
    /// </summary>
    private static Task TellSubmitterAsync(TaskOrchestrationContext context, FollowUpItem item, FollowUpProgress progress, string? reason) =>
        item.Submitter is { } submitter
            ? SendAsync(context, item, progress, MailKind.InitiativeClosed, Person("submitter", submitter), note: reason)
            : Task.CompletedTask;

    private static MailRecipient Owner(FollowUpItem item) => Person("owner", item.Owner);

    private static MailRecipient Person(string role, Person person) => new(role, person.Name, person.Email, Languages.Dutch);

    private static string? OwnersReason(FollowUpProgress progress) => progress.Status == FollowUpStatus.Stuck ? progress.Reason : null;

    private static List<string> Facts(FollowUpItem item, FollowUpProgress progress, string stallReason)
    {
        var facts = new List<string>
        {
            (item.Kind == FollowUpKinds.Initiative ? "Initiatief: " : "Afspraak: ") + item.Title,
            (item.Kind == FollowUpKinds.Initiative ? "Contactpersoon: " : "Eigenaar: ") + $"{item.Owner.Name} ({item.Owner.Email})",
        };
        if (item.DueUtc is { } due)
        {
            facts.Add("Klaar vóór: " + AmsterdamTime.FromUtc(due).ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("nl-NL")));
        }

        facts.Add("Status: " + FollowUpStatus.Dutch(progress.Status));
        facts.Add("Waarom u dit krijgt: " + stallReason switch
        {
            "overdue" => "de datum is voorbij en de afspraak is nog niet klaar.",
            "stuck" => "de eigenaar meldt dat het is vastgelopen.",
            _ => "er is al een tijd geen voortgang gemeld.",
        });
        return facts;
    }
}

/// <param name="Level">The ladder level this step reaches (<see cref="LadderLevels.None"/> for the due-date reminder).</param>
internal sealed record LadderStep(int Level, DateTime DueUtc, string Reason);
