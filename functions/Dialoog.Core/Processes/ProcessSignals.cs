using Microsoft.DurableTask.Client;
using System.Text.Json.Serialization;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Processes;

/// <summary>
/// Everything that reaches a running process from outside arrives as one event, <see cref="EventName"/>, carrying one
/// of these. One channel keeps the orchestrator's waiting simple: it waits for "the next signal or the next deadline".
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ReplySignal), "reply")]
[JsonDerivedType(typeof(DecisionSignal), "decision")]
[JsonDerivedType(typeof(MandateSignal), "mandate")]
[JsonDerivedType(typeof(AddParticipantsSignal), "addParticipants")]
[JsonDerivedType(typeof(RescheduleSessionSignal), "rescheduleSession")]
[JsonDerivedType(typeof(CancelSessionSignal), "cancelSession")]
[JsonDerivedType(typeof(CancelProcessSignal), "cancelProcess")]
[JsonDerivedType(typeof(CloseProcessSignal), "closeProcess")]
[JsonDerivedType(typeof(MinutesUploadedSignal), "minutesUploaded")]
[JsonDerivedType(typeof(InitiativeSubmittedSignal), "initiativeSubmitted")]
[JsonDerivedType(typeof(Actions.FollowUpChangedSignal), "followUpChanged")]
[JsonDerivedType(typeof(ErasePersonSignal), "erasePerson")]
[JsonDerivedType(typeof(SignUpSignal), "signUp")]
[JsonDerivedType(typeof(CallDoneSignal), "callDone")]
[JsonDerivedType(typeof(AddActionsSignal), "addActions")]
public abstract record ProcessSignal
{
    public const string EventName = "ProcessSignal";
}

public static class Answers
{
    public const string Yes = "yes";
    public const string No = "no";
    public const string Maybe = "maybe";

    public static readonly IReadOnlyList<string> All = [Yes, No, Maybe];

    public static bool IsValid(string? answer) => answer is Yes or No or Maybe;
}

/// <summary>How someone gave the coordinator their answer, when the coordinator notes it for them.</summary>
public static class ReplyChannels
{
    public const string Phone = "phone";
    public const string Door = "door";
    public const string Counter = "counter";
    public const string Post = "post";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Phone, Door, Counter, Post, Other];

    public static bool IsValid(string? channel) => channel is Phone or Door or Counter or Post or Other;

    /// <summary>Dutch, as the timeline and the pages say it: "(telefoon)", "(aan de deur)".</summary>
    public static string Dutch(string? channel) => channel switch
    {
        Phone => "telefoon",
        Door => "aan de deur",
        Counter => "aan de balie",
        Post => "per post",
        _ => "anders",
    };
}

/// <param name="Answer"><see cref="Answers"/>.</param>
/// <param name="ReceivedUtc">
/// When the reply reached us. The deadline is judged by this, not by when the process gets to it: a busy or
/// recovering worker must not turn a reply in time into a late one. Null in signals from before this existed.
/// </param>
/// <param name="RecordedBy">
/// The coordinator who noted this answer for the participant (by phone, at the door, at the counter); null when the
/// participant replied themselves. It counts the same; only the timeline and the participant's record say who noted it.
/// </param>
/// <param name="Channel">With <paramref name="RecordedBy"/>: one of <see cref="ReplyChannels"/>.</param>
/// <param name="Confirms">
/// Set on answers the coordinator notes: the same answer again for a phone sign-up confirms it and takes it off the
/// call list. Signals from before this lack it and change nothing, as they did.
/// </param>
public sealed record ReplySignal(string ParticipantId, string Answer, string? Remark, DateTime? ReceivedUtc = null, string? RecordedBy = null, string? Channel = null,
    bool Confirms = false) : ProcessSignal;

/// <param name="Choice">One of <see cref="DecisionChoices"/>.</param>
/// <param name="ExtendBy">For extendDeadline / inviteMore: how much longer people can reply; default the reminder cadence.</param>
/// <param name="DecidedBy">Who decided (name or "link"), for the timeline.</param>
public sealed record DecisionSignal(string EscalationId, string Choice, TimeSpan? ExtendBy, string DecidedBy, string? Note = null) : ProcessSignal;

public sealed record MandateSignal(int GroupIndex, bool Confirmed, string? Remark) : ProcessSignal;

public sealed record AddParticipantsSignal(IReadOnlyList<ParticipantDefinition> Participants) : ProcessSignal;

/// <param name="Start">Wall-clock start in Europe/Amsterdam, like in the definition.</param>
public sealed record RescheduleSessionSignal(string SessionId, DateTime Start, DateTime End, string? Location, string? OnlineLink, string? Note) : ProcessSignal;

public sealed record CancelSessionSignal(string SessionId, string? Reason) : ProcessSignal;

public sealed record CancelProcessSignal(string? Reason) : ProcessSignal;

public sealed record CloseProcessSignal(string? Note) : ProcessSignal;

/// <summary>A version of the minutes was stored; the agreed actions came with it.</summary>
public sealed record MinutesUploadedSignal(string SessionId, Minutes.MinutesVersion Version, IReadOnlyList<Minutes.AgreedAction> Actions) : ProcessSignal;

/// <summary>A resident or partner raised an initiative through the public form or API.</summary>
public sealed record InitiativeSubmittedSignal(string Title, string Description, Person Submitter) : ProcessSignal;

/// <summary>
/// AVG erasure of one participant while the process runs: their name and address make way for a placeholder, no
/// e-mail or calendar item reaches them any more, and their answer still counts (without a name). Carries the
/// participant id only, so the signal itself holds no personal data.
/// </summary>
public sealed record ErasePersonSignal(string ParticipantId) : ProcessSignal;

/// <summary>
/// Someone signed up on the public page (<c>/meedoen/{processId}</c>), after confirming their address if they gave one:
/// they join without an invitation and their "yes" counts like a reply (capacity and waitlist included). Only new
/// processes and new signals take this path, so older histories replay as before.
/// </summary>
/// <param name="Answers">Their answers to the process's sign-up questions; personal data.</param>
public sealed record SignUpSignal(ParticipantDefinition Participant, IReadOnlyList<SignUpAnswer>? Answers, DateTime? ReceivedUtc = null) : ProcessSignal;

/// <summary>The coordinator passed on a call-list notice (by phone or letter); <paramref name="DoneBy"/> is for the timeline.</summary>
public sealed record CallDoneSignal(string ParticipantId, string NoticeId, string DoneBy) : ProcessSignal;

/// <summary>
/// Agreements made at a held session, added after its minutes without a new version (the follow-up window);
/// <paramref name="AddedBy"/> is for the timeline.
/// </summary>
public sealed record AddActionsSignal(string SessionId, IReadOnlyList<Minutes.AgreedAction> Actions, string AddedBy) : ProcessSignal;

public static class ProcessSignalClientExtensions
{
    /// <summary>
    /// Raises <paramref name="signal"/> on a process. Serialized as <see cref="ProcessSignal"/> (not its runtime type) so
    /// the payload carries the type discriminator the orchestrator reads it back by.
    /// </summary>
    public static Task SignalAsync(this DurableTaskClient client, string instanceId, ProcessSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.RaiseEventAsync(instanceId, ProcessSignal.EventName, System.Text.Json.JsonSerializer.SerializeToNode(signal, Dialoog.Core.Engine.DurableJson.Options), cancellationToken);
    }
}
