using Dialoog.Durable;
using Dialoog.Functions.Processes.Definition;

namespace Dialoog.Functions.Processes;

/// <summary>Input of a dialogue process: the validated, normalised definition.</summary>
public sealed record DialogueProcessInput(ProcessDefinition Definition);

/// <summary>How a process ended, for the coordinator's summary and the API.</summary>
public sealed record ProcessOutcome(string Phase, int Participants, int Attendees, int SessionsHeld, int SessionsCancelled, int Escalations);

/// <summary>
/// The life of one dialogue process, top to bottom: invite, collect replies with reminders, check that every group is
/// at the table (escalating when not), remind attendees before each session, and follow the sessions until the last
/// one has ended. Signals from outside (replies, decisions, changes by the coordinator) are handled by
/// <see cref="DialogueInbox"/> while the process waits for its next deadline.
/// </summary>
public sealed class DialogueProcessOrchestrator : TaskOrchestrator<DialogueProcessInput, ProcessOutcome>
{
    public override async Task<ProcessOutcome> RunAsync(TaskOrchestrationContext context, DialogueProcessInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = new DialogueState(context.InstanceId, input.Definition);
        using var process = new DialogueInbox(context, state);

        // 1. Invitations to everyone, mandate requests to the partner organisations' managers.
        state.ReplyDeadlineUtc = context.CurrentUtcDateTime + state.Policy.ReplyDeadline;
        await process.InviteAsync(input.Definition.Participants);
        await process.RequestMandatesAsync();
        state.Phase = Phases.CollectingReplies;

        // 2. Replies until the deadline (reminders to non-responders), then 3. the representation check.
        while (true)
        {
            await process.CollectRepliesAsync();
            if (state.Stopped)
            {
                return process.Finish();
            }

            var shortfall = state.Shortfall();
            if (shortfall.Count == 0)
            {
                state.Note(context.CurrentUtcDateTime, "De reactietermijn is voorbij. Alle groepen zijn vertegenwoordigd.");
                break;
            }

            var decision = await process.EscalateRepresentationAsync(shortfall);
            if (state.Stopped)
            {
                return process.Finish();
            }

            if (decision.Choice is DecisionChoices.ExtendDeadline or DecisionChoices.InviteMore)
            {
                await process.ExtendDeadlineAsync(decision.ExtendBy ?? state.Policy.ReminderCadence);
                continue;
            }

            if (decision.Choice == DecisionChoices.Cancel)
            {
                await process.CancelProcessAsync("De groepen waren niet allemaal vertegenwoordigd.");
                return process.Finish();
            }

            break;
        }

        // 4. The sessions: a reminder to attendees before each one, then wait until it has ended.
        state.Phase = Phases.Sessions;
        while (state.NextSessionStep() is not null)
        {
            if (!await process.WaitUntilAsync(() => state.NextSessionStep()?.DueUtc ?? context.CurrentUtcDateTime))
            {
                return process.Finish();
            }

            // A reschedule while waiting may have changed which step is first: act on whatever is due now.
            if (state.NextSessionStep() is not { } step || step.DueUtc > context.CurrentUtcDateTime)
            {
                continue;
            }

            if (step.Kind == SessionStepKind.Reminder)
            {
                await process.SendSessionReminderAsync(step.Session);
            }
            else
            {
                step.Session.State = SessionStates.Held;
                state.Note(context.CurrentUtcDateTime, $"Bijeenkomst '{step.Session.Title}' is geweest.");
            }
        }

        // Part 2 (minutes, actions) continues here; for now the process is complete once its sessions are done.
        if (!state.Stopped)
        {
            state.Phase = state.Sessions.All(s => s.State == SessionStates.Cancelled) ? Phases.Cancelled : Phases.Completed;
            state.Note(context.CurrentUtcDateTime, "Het traject is afgerond.");
        }

        return process.Finish();
    }
}
