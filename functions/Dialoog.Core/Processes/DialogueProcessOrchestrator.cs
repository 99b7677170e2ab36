using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Processes;

/// <summary>Input of a dialogue process: the validated, normalised definition.</summary>
/// <param name="Carry">Set by ContinueAsNew during a long follow-up: the state so far (JSON), so history stays small.</param>
/// <param name="Nonce">
/// Made once when the process starts (<see cref="Links.ProcessNonce"/>) and carried across ContinueAsNew: every personal
/// link of the process carries it, so its links never act on another process that gets the same id after a purge.
/// Input, not the instance's creation time: that one changes at every ContinueAsNew. Null for processes started before.
/// </param>
/// <param name="CallNotices">
/// Set for processes started since people without e-mail hear about changes through the call list: only those schedule
/// the recording of call notices and wait for them at the end, so a history from before replays exactly as it ran.
/// </param>
/// <param name="OpenAfterMinutes">
/// Set for processes started since a process stays open for <see cref="ProcessPolicy.FollowUpWindow"/> after its last
/// minutes: only those wait for that window's timer, so a process started before ends at its last minutes as it did.
/// </param>
public sealed record DialogueProcessInput(ProcessDefinition Definition, string? Carry = null, string? Nonce = null, bool CallNotices = false, bool OpenAfterMinutes = false);

/// <summary>How a process ended, for the coordinator's summary and the API.</summary>
public sealed record ProcessOutcome(string Phase, int Participants, int Attendees, int SessionsHeld, int SessionsCancelled, int Escalations);

/// <summary>
/// The life of one dialogue process, top to bottom: invite, collect replies with reminders, check that every group is
/// at the table (escalating when not), remind attendees before each session, get the minutes after each one (chasing
/// the facilitator), and follow every agreement and initiative until it is done. Signals from outside (replies,
/// decisions, uploads, changes by the coordinator, reports from the follow-ups) are handled by
/// <see cref="DialogueInbox"/> while the process waits for its next deadline.
/// </summary>
public sealed class DialogueProcessOrchestrator : TaskOrchestrator<DialogueProcessInput, ProcessOutcome>
{
    public override async Task<ProcessOutcome> RunAsync(TaskOrchestrationContext context, DialogueProcessInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = input.Carry is null
            ? new DialogueState(context.InstanceId, input.Definition) { ProcessNonce = input.Nonce, CallNotices = input.CallNotices, OpenAfterMinutes = input.OpenAfterMinutes }
            : DialogueState.FromCarry(context.InstanceId, input.Definition, input.Carry, input.Nonce, input.CallNotices, input.OpenAfterMinutes);
        using var process = new DialogueInbox(context, state);
        if (input.Carry is null && !await InviteAndCheckRepresentationAsync(context, state, process))
        {
            await process.SendSummaryAsync();
            await process.AwaitOpenCallsAsync();
            return process.Finish();
        }

        // 4. The sessions: a reminder to attendees before each one; after each, the minutes. 5. Then the agreements made
        // there (and initiatives) are followed until all are done, or the follow-up period ends.
        while (!state.Stopped && !state.AllFollowedUp)
        {
            if (!await process.WaitUntilAsync(state.NextAfterRepliesUtc, () => state.AllFollowedUp))
            {
                break;
            }

            // A signal may have changed what is first (a reschedule, an upload): act on whatever is due now.
            var now = context.CurrentUtcDateTime;
            if (state.NextSessionStep() is { } step && step.DueUtc <= now)
            {
                if (step.Kind == SessionStepKind.Reminder)
                {
                    await process.SendSessionReminderAsync(step.Session);
                }
                else
                {
                    await process.SessionEndedAsync(step.Session);
                }
            }
            else if (state.NextMinutesStep() is { } minutes && minutes.DueUtc <= now)
            {
                await process.MinutesStepAsync(minutes);
            }
            else if (state.WindowEndsUtc is { } windowEnd && !state.WindowClosed && windowEnd <= now)
            {
                // Only processes with OpenAfterMinutes ever set WindowEndsUtc: an older history never reaches this.
                process.CloseWindow();
            }
            else if (state.FollowUpEndsUtc is { } end && end <= now)
            {
                await process.EndFollowUpPeriodAsync();
                break;
            }
            else if (state.NextProgressCheckUtc is { } check && check <= now)
            {
                // A council period is years of waiting: each check starts a new generation with the state so far.
                await process.ProgressCheckAsync();
                await process.DrainAsync();
                state.Generation++;
                var outcome = process.Finish();
                context.ContinueAsNew(input with { Carry = state.ToCarry() });
                return outcome;
            }
        }

        if (!state.Stopped)
        {
            state.Phase = state.Sessions.All(s => s.State == SessionStates.Cancelled) ? Phases.Cancelled : Phases.Completed;
            state.Note(context.CurrentUtcDateTime, "Het traject is afgerond.");
        }

        await process.SendSummaryAsync();
        await process.AwaitOpenCallsAsync();
        return process.Finish();
    }

    /// <summary>Phases 1–3. Returns false when the process stopped (cancelled or closed) on the way.</summary>
    private static async Task<bool> InviteAndCheckRepresentationAsync(TaskOrchestrationContext context, DialogueState state, DialogueInbox process)
    {
        // 1. Invitations to everyone, mandate requests to the partner organisations' managers.
        state.ReplyDeadlineUtc = context.CurrentUtcDateTime + state.Policy.ReplyDeadline;
        await process.InviteAsync(state.Definition.Participants);
        await process.RequestMandatesAsync();
        state.Phase = Phases.CollectingReplies;

        // 2. Replies until the deadline (reminders to non-responders), then 3. the representation check.
        while (true)
        {
            await process.CollectRepliesAsync();
            if (state.Stopped)
            {
                return false;
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
                return false;
            }

            if (decision.Choice is DecisionChoices.ExtendDeadline or DecisionChoices.InviteMore)
            {
                await process.ExtendDeadlineAsync(decision.ExtendBy ?? state.Policy.ReminderCadence);
                continue;
            }

            if (decision.Choice == DecisionChoices.Cancel)
            {
                await process.CancelProcessAsync("De groepen waren niet allemaal vertegenwoordigd.");
                return false;
            }

            break;
        }

        state.Phase = Phases.Sessions;
        return true;
    }
}

public static class ProcessIds
{
    /// <summary>Every process id starts with this (and so do its follow-ups' ids, which add their item id).</summary>
    public const string Prefix = "dlg-";

    /// <summary>A new process id: random, unguessable and free of the characters links use as separators.</summary>
    public static string New() => Prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
