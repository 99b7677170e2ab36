namespace Dialoog.Core.Email;

/// <summary>Which sentences of MailText.resx each kind of e-mail says, and in what order.</summary>
internal sealed partial class MailWording
{
    /// <summary>Which sentences each kind needs; <paramref name="t"/> gives a sentence with the content filled in.</summary>
    private static KindWording Kind(MailKind kind, MailContent content, string? deadline, string? note, bool initiative, Func<string, string> t)
    {
        string[] Lines(bool condition, params string[] keys) => condition ? [.. keys.Select(t)] : [];
        string? Deadline(string key) => deadline is null ? null : t(key);
        var name = kind.ToString();
        string S(string part) => t($"{name}_{part}");
        var hasDeadline = deadline is not null;
        var answerLine = Lines(content.CurrentAnswer is not null, "AnswerLine");
        var ownerOptions = Lines(true, "OwnerOption_Contact", "OwnerOption_Dashboard");
        string[] minutesNext = [t("MinutesNext_Agreements"), t("MinutesNext_Send")];
        return kind switch
        {
            MailKind.Invitation => new(
                S("Subject"),
                [S("Intro"), S("Intro2")],
                null,
                S("LinksLead"),
                hasDeadline ? S("Deadline") : S("DeadlineOpen"),
                [content.CalendarSeparately ? S("CalendarSeparately") : S("CalendarInside"), t("ReminderNext")]),
            MailKind.ReplyReminder => new(
                S("Subject"), [S("Intro"), S("Intro2")], null, S("LinksLead"), hasDeadline ? S("Deadline") : S("DeadlineOpen"), [t("ReminderNext")]),
            MailKind.ReplyConfirmation => new(
                S("Subject"),
                [S("Intro"), .. answerLine],
                null,
                S("LinksLead"),
                Deadline("ReplyConfirmation_Deadline"),
                [t(content.CurrentAnswer switch
                {
                    "yes" => "ReplyConfirmation_NextYes",
                    "no" => "ReplyConfirmation_NextNo",
                    "maybe" => "ReplyConfirmation_NextMaybe",
                    _ => "NothingMoreToDo",
                })]),
            MailKind.ReplyAfterDeadline => new(S("Subject"), [S("Intro"), .. answerLine, S("Intro2")], null, null, null, [S("Next")]),
            MailKind.Waitlisted or MailKind.SessionReminder => new(S("Subject"), [S("Intro"), S("Intro2")], null, S("LinksLead"), null, [S("Next")]),
            MailKind.PromotedFromWaitlist => new(
                S("Subject"), [S("Intro"), S("Intro2")], null, S("LinksLead"), null, [S("Next"), t("ReminderBeforeSession")]),
            MailKind.SessionChanged => new(
                S("Subject"), [S("Intro"), S("Intro2")], null, S("LinksLead"), Deadline("SessionChanged_Deadline"), [S("Next"), t("ReminderNext")]),
            MailKind.SessionCancelled or MailKind.ProcessCancelled => new(S("Subject"), [S("Intro"), S("Intro2")], null, null, null, [S("Next"), S("Next2")]),
            MailKind.RepresentationEscalation => new(
                S("Subject"), [S("Intro"), S("Intro2")], S("FactsLead"), S("LinksLead"), Deadline("ChooseBefore"), [S("Next"), S("Next2")]),
            MailKind.EscalationContactNotice => new(
                S("Subject"), [S("Intro"), S("Intro2")], t("SituationIs"), S("LinksLead"), Deadline("ChooseBefore"), [S("Next")]),
            MailKind.DefaultDecisionApplied => new(
                S("Subject"),
                [S("Intro"), S("Intro2"), .. Lines(note is not null, "DefaultDecisionApplied_Decision")],
                S("FactsLead"),
                S("LinksLead"),
                null,
                [S("Next")],
                NotePlace: NotePlace.InSentences),
            MailKind.MandateRequest => new(
                S("Subject"), [S("Intro"), S("Intro2")], S("FactsLead"), S("LinksLead"), Deadline("MandateRequest_Deadline"), [S("Next"), S("Next2")]),
            MailKind.MinutesRequest => new(
                S("Subject"), [S("Intro"), .. Lines(hasDeadline, "MinutesDueSoon"), S("Intro2")], null, t("UploadLead"), null, [.. minutesNext, S("Next")]),
            MailKind.MinutesReminder => new(
                S("Subject"), [S("Intro"), .. Lines(hasDeadline, "MinutesDue"), S("Intro2")], null, t("UploadLead"), null, [.. minutesNext, S("Next")]),
            MailKind.MinutesEscalation => new(
                S("Subject"), [S("Intro"), .. Lines(hasDeadline, "MinutesDue"), S("Intro2")], S("FactsLead"), S("LinksLead"), null, [S("Next"), S("Next2")]),
            MailKind.MinutesAvailable => new(
                S("Subject"), [S("Intro"), .. Lines(content.Facts.Count == 0, "NoActions")], S("FactsLead"), t("DownloadLead"), null, [S("Next"), S("Next2")]),
            MailKind.MinutesCorrected => new(
                S("Subject"),
                [S("Intro"), S("Intro2"), .. Lines(content.Facts.Count == 0, "NoActions")],
                S("FactsLead"),
                t("DownloadLead"),
                null,
                [S("Next"), S("Next2")]),
            MailKind.ActionAssigned => new(
                initiative ? S("SubjectInitiative") : S("SubjectAction"),
                initiative ? [S("IntroInitiative"), S("IntroInitiative2")] : [S("IntroAction"), .. Lines(hasDeadline, "ActionAssigned_IntroActionDeadline")],
                t("ThisIsItem"),
                t("ProgressLead"),
                null,
                [.. Lines(initiative, "ActionAssigned_NextInitiative"), S("NextReminders"), t("CoordinatorTold")],
                NoteLabel: initiative ? S("NoteLabelInitiative") : null,
                NotePlace: NotePlace.AfterFacts),
            MailKind.ActionReminder => new(
                S("Subject"),
                [t("About"), hasDeadline ? S("Due") : S("DueOpen"), S("HowIsItGoing")],
                t("ThisIsItem"),
                t("ProgressLead"),
                null,
                [S("NextDone"), S("NextStuck")]),
            MailKind.ActionStalled => new(
                S("Subject"),
                [t("About"), .. Lines(true, Stalled(note, hasDeadline))],
                t("ThisIsItem"),
                t("ProgressLead"),
                null,
                [t("CoordinatorTold"), S("Next")],
                NotePlace: NotePlace.InSentences),
            MailKind.ActionEscalation => new(
                S("Subject"),
                [S("Intro"), S("Intro2")],
                t("SituationIs"),
                S("LinksLead"),
                null,
                [S("Next"), .. ownerOptions],
                NoteLabel: S("NoteLabel"),
                NotePlace: NotePlace.AfterFacts),
            MailKind.InitiativeReceived => new(
                S("Subject"),
                [S("Intro"), S("Intro2")],
                t("YourInitiative"),
                S("LinksLead"),
                null,
                note is null ? [S("NextSearching"), S("NextSearching2")] : [S("NextContact"), S("NextContact2")],
                NotePlace: NotePlace.InSentences),
            MailKind.InitiativeConfirm => new(S("Subject"), [S("Intro"), t("ConfirmWithButton")], t("YourInitiative"), S("LinksLead"), null, [S("Next")]),
            MailKind.SignUpConfirm => new(S("Subject"), [S("Intro"), t("ConfirmWithButton")], null, S("LinksLead"), null, [S("Next")]),
            MailKind.SignedUp => new(
                S("Subject"),
                [S("Intro"), .. answerLine],
                null,
                S("LinksLead"),
                Deadline("ReplyConfirmation_Deadline"),
                [t(content.CurrentAnswer == "yes" ? "ReplyConfirmation_NextYes" : "NothingMoreToDo")]),
            MailKind.InitiativeClosed => new(
                S("Subject"),
                [S("Intro"), S("Intro2")],
                t("YourInitiative"),
                null,
                null,
                [t("ThanksForEffort"), S("Next")],
                NoteLabel: t("NoteLabel"),
                NotePlace: NotePlace.AfterFacts),
            MailKind.ProgressReport => new(
                S("Subject"), [S("Intro"), S("Intro2")], S("FactsLead"), S("LinksLead"), null, [S("Next"), .. ownerOptions, S("Next2")]),
            MailKind.ProcessSummary => new(
                S("Subject"),
                [S("Intro"), .. Lines(note is not null, Ending(note))],
                S("FactsLead"),
                S("LinksLead"),
                null,
                [S("Next"), S("Next2")],
                NotePlace: NotePlace.InSentences),
            MailKind.ActionClosed => new(
                S("Subject"),
                [t("About"), S("Intro"), S("Intro2")],
                t("ThisIsItem"),
                null,
                null,
                [S("Next"), t("ThanksForEffort")],
                NoteLabel: S("NoteLabel"),
                NotePlace: NotePlace.AfterFacts),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No text for this kind of e-mail."),
        };
    }

    /// <summary>A decision in words: the code itself (goAhead, …) never reaches anyone.</summary>
    private static string Decision(string? choice) => choice switch
    {
        "extendDeadline" or "inviteMore" or "goAhead" or "cancel" => "Decision_" + choice,
        _ => "Decision_unknown",
    };

    /// <summary>Why we ask, said kindly: <c>overdue</c> (the due date passed) or <c>noUpdate</c> (no news for a while).</summary>
    private static string[] Stalled(string? reason, bool hasDeadline) => reason switch
    {
        "overdue" => [hasDeadline ? "Stalled_Overdue" : "Stalled_OverdueOpen", "Stalled_OverdueKind"],
        "noUpdate" => ["Stalled_NoUpdate", "Stalled_NoUpdateKind"],
        _ => ["Stalled_Other"],
    };

    /// <summary>How the process ended: the words the coordinator chose ("afgerond", "gesloten", "geannuleerd") or their own text.</summary>
    private static string Ending(string? note) => note switch
    {
        "afgerond" or "gesloten" or "geannuleerd" => "Ending_" + note,
        _ => "Ending_Other",
    };
}
