namespace Dialoog.Functions.Email;

/// <summary>The words of one kind of e-mail; the composer places them.</summary>
/// <param name="Intro">What this e-mail is about, in short sentences.</param>
/// <param name="FactsLead">Introduces <see cref="MailContent.Facts"/> (shown only when there are facts).</param>
/// <param name="LinksLead">Introduces the links (shown only when there are links).</param>
/// <param name="Deadline">Until when the reader can act or change the answer (shown only with a deadline).</param>
/// <param name="Next">What happens next.</param>
internal sealed record KindWording(
    string Subject,
    IReadOnlyList<string> Intro,
    string? FactsLead,
    string? LinksLead,
    string? Deadline,
    IReadOnlyList<string> Next);

/// <summary>
/// Everything the reader sees, per language. Dutch is written at B1 level: short sentences, everyday words, "u".
/// A new kind or label must be added to both languages, or the build fails.
/// </summary>
internal abstract class MailWording
{
    public static readonly MailWording Dutch = new DutchWording();
    public static readonly MailWording English = new EnglishWording();

    /// <summary>The value of the HTML lang attribute.</summary>
    public abstract string Language { get; }

    public abstract bool IsEnglish { get; }

    public abstract string SessionsHeading { get; }

    public abstract string DescriptionHeading { get; }

    public abstract string When { get; }

    public abstract string Where { get; }

    public abstract string PlaceToFollow { get; }

    public abstract string Online { get; }

    public abstract string JoinOnline { get; }

    public abstract string CancelledMark { get; }

    public abstract string ChangedMark { get; }

    public abstract string NoteLabel { get; }

    public abstract string Closing { get; }

    /// <summary>Signs e-mails that the system writes on its own behalf (escalations to the coordinator).</summary>
    public abstract string SystemName { get; }

    public abstract string Greeting(string name);

    /// <summary>Leads the contact line for people outside the process team: "Questions? Please contact".</summary>
    public abstract string ContactLead { get; }

    /// <summary>Leads the contact line in e-mails to the coordinator or their escalation contact.</summary>
    public abstract string CoordinatorLead { get; }

    /// <returns>The label, or null for a key this language has no words for.</returns>
    public abstract string? LinkLabel(string key);

    /// <summary>A reply as the reader would say it ("Ja, ik kom"); an unknown value is shown as it is.</summary>
    public string Answer(string answer) => LinkLabel(answer) ?? answer;

    /// <summary>Introduces the reader's current reply: "Uw antwoord".</summary>
    public abstract string YourAnswer { get; }

    public abstract KindWording For(MailKind kind, MailContent content, string? deadline);

    /// <summary>"Uw antwoord: Ja, ik kom." when the content carries a reply, otherwise nothing.</summary>
    protected string[] AnswerLine(MailContent content) =>
        content.CurrentAnswer is { } answer ? [$"{YourAnswer}: {Answer(answer)}."] : [];
}

internal sealed class DutchWording : MailWording
{
    public override string Language => "nl";

    public override bool IsEnglish => false;

    public override string SessionsHeading => "Wanneer en waar";

    public override string DescriptionHeading => "Waar gaat het over?";

    public override string When => "Wanneer";

    public override string Where => "Waar";

    public override string PlaceToFollow => "dat hoort u nog";

    public override string Online => "Online";

    public override string JoinOnline => "Meedoen via internet";

    public override string CancelledMark => "gaat niet door";

    public override string ChangedMark => "gewijzigd";

    public override string NoteLabel => "Toelichting";

    public override string Closing => "Met vriendelijke groet,";

    public override string SystemName => "Dialoog";

    public override string ContactLead => "Heeft u een vraag? Neem dan contact op met";

    public override string CoordinatorLead => "Regisseur van dit traject:";

    public override string YourAnswer => "Uw antwoord";

    public override string Greeting(string name) => $"Beste {name},";

    public override string? LinkLabel(string key) => key switch
    {
        "yes" => "Ja, ik kom",
        "no" => "Nee, ik kan niet",
        "maybe" => "Misschien",
        "reply" => "Mijn antwoord bekijken",
        "extendDeadline" => "Termijn verlengen",
        "inviteMore" => "Meer mensen uitnodigen",
        "goAhead" => "Toch doorgaan",
        "cancel" => "Traject stoppen",
        "mandate" => "Mandaat bevestigen",
        "dashboard" => "Naar het dashboard",
        _ => null,
    };

    public override KindWording For(MailKind kind, MailContent content, string? deadline)
    {
        var (topic, area, coordinator) = (content.Topic, content.Area, content.CoordinatorName);
        string[] reminderNext = ["Zegt u ja? Dan krijgt u kort voor de bijeenkomst nog een herinnering."];
        return kind switch
        {
            MailKind.Invitation => new(
                $"Uitnodiging: gesprek over {topic}",
                [$"U bent uitgenodigd voor een gesprek over {topic} in {area}.",
                    "Bij dit gesprek zitten verschillende mensen samen aan tafel. Uw ervaring en uw mening zijn belangrijk."],
                null,
                "Komt u? Laat het ons weten. Kies een van deze antwoorden:",
                deadline is null
                    ? "U kunt uw antwoord later nog veranderen. Kies dan gewoon opnieuw."
                    : $"Wilt u antwoorden vóór {deadline}? Tot dat moment kunt u uw antwoord nog veranderen. Kies dan gewoon opnieuw.",
                [content.CalendarSeparately ? "U krijgt ook een aparte uitnodiging voor uw agenda. Daarin kunt u ook Ja of Nee kiezen." : "In deze e-mail zit ook een afspraak voor uw agenda.", .. reminderNext]),
            MailKind.ReplyReminder => new(
                $"Herinnering: komt u naar het gesprek over {topic}?",
                [$"U heeft een uitnodiging gekregen voor een gesprek over {topic} in {area}.",
                    "We hebben uw antwoord nog niet ontvangen. Wilt u laten weten of u komt?"],
                null,
                "Kies een van deze antwoorden:",
                deadline is null
                    ? "U kunt uw antwoord later nog veranderen."
                    : $"Antwoorden kan tot {deadline}. Tot dat moment kunt u uw antwoord ook nog veranderen.",
                reminderNext),
            MailKind.ReplyConfirmation => new(
                $"Bedankt voor uw antwoord: {topic}",
                [$"Bedankt! We hebben uw antwoord voor het gesprek over {topic} ontvangen.", .. AnswerLine(content)],
                null,
                "Wilt u uw antwoord veranderen? Kies dan hier een ander antwoord:",
                deadline is null ? null : $"Veranderen kan tot {deadline}.",
                [content.CurrentAnswer switch
                {
                    "yes" => "Fijn dat u komt! Kort voor de bijeenkomst krijgt u nog een herinnering.",
                    "no" => "Jammer dat u er niet bij kunt zijn. U hoeft verder niets te doen.",
                    "maybe" => "Weet u het later zeker? Kies dan ja of nee. Dan weten wij op hoeveel mensen we kunnen rekenen.",
                    _ => "U hoeft nu verder niets te doen.",
                }]),
            MailKind.ReplyAfterDeadline => new(
                $"Uw antwoord kwam na de einddatum: {topic}",
                [$"Bedankt voor uw antwoord voor het gesprek over {topic}.", .. AnswerLine(content),
                    $"De tijd om te antwoorden was helaas al voorbij. Daarom hebben we uw antwoord doorgegeven aan {coordinator}."],
                null,
                null,
                null,
                [$"{coordinator} kijkt of u toch nog mee kunt doen. U krijgt daarover bericht."]),
            MailKind.Waitlisted => new(
                $"U staat op de wachtlijst: {topic}",
                [$"Bedankt dat u wilt komen naar het gesprek over {topic}!", "Helaas is de bijeenkomst al vol. Daarom staat u nu op de wachtlijst."],
                null,
                "Wilt u toch niet meer komen? Laat het ons dan weten:",
                null,
                ["Komt er een plaats vrij? Dan krijgt u meteen een e-mail met een afspraak voor uw agenda."]),
            MailKind.PromotedFromWaitlist => new(
                $"Er is een plaats voor u: {topic}",
                ["Goed nieuws! Er is een plaats vrijgekomen.", $"U kunt nu meedoen aan het gesprek over {topic} in {area}."],
                null,
                "Kunt u toch niet meer? Laat het ons dan weten. Dan krijgt iemand anders uw plaats.",
                null,
                ["In deze e-mail zit een afspraak voor uw agenda.", "Kort voor de bijeenkomst krijgt u nog een herinnering."]),
            MailKind.SessionReminder => new(
                $"Herinnering: binnenkort het gesprek over {topic}",
                [$"Binnenkort is het gesprek over {topic}. Fijn dat u komt!", "Hieronder staat nog een keer wanneer en waar."],
                null,
                "Kunt u toch niet komen? Laat het ons dan weten:",
                null,
                ["Na de bijeenkomst krijgt u het verslag per e-mail."]),
            MailKind.SessionChanged => new(
                $"Gewijzigd: gesprek over {topic}",
                [$"Er is iets veranderd aan het gesprek over {topic}.",
                    "Kijk goed naar de datum, de tijd en de plaats hieronder. Bij wat veranderd is, staat \"gewijzigd\"."],
                null,
                "Kunt u nog steeds komen? Laat het ons weten:",
                deadline is null ? null : $"U kunt uw antwoord veranderen tot {deadline}.",
                ["De afspraak in uw agenda wordt ook aangepast.", .. reminderNext]),
            MailKind.SessionCancelled => new(
                $"Gaat niet door: gesprek over {topic}",
                [$"Helaas gaat een bijeenkomst over {topic} niet door.", "Hieronder ziet u welke bijeenkomst het is."],
                null,
                null,
                null,
                ["U hoeft niets te doen. De afspraak in uw agenda wordt afgezegd.",
                    "Komt er een nieuwe datum? Dan krijgt u een nieuwe uitnodiging."]),
            MailKind.ProcessCancelled => new(
                $"Gestopt: dialoogtraject over {topic}",
                [$"Het dialoogtraject over {topic} in {area} stopt.", "De bijeenkomsten die nog zouden komen, gaan niet door."],
                null,
                null,
                null,
                ["U hoeft niets te doen. Afspraken in uw agenda worden afgezegd.", "Bedankt voor uw tijd en uw inzet."]),
            MailKind.RepresentationEscalation => new(
                $"Besluit nodig: niet elke groep is er bij {topic}",
                [$"De tijd om te antwoorden is voorbij voor het gesprek over {topic} in {area}.",
                    "Niet elke groep heeft genoeg aanmeldingen. Zo zit niet iedereen aan tafel."],
                "Deze groepen hebben te weinig aanmeldingen:",
                "Wat wilt u doen? Kies een van deze mogelijkheden:",
                deadline is null ? null : $"Kies graag vóór {deadline}.",
                ["Kiest u niet op tijd? Dan sturen we dit bericht naar de contactpersoon voor escalaties.",
                    "U kunt ook kiezen op het dashboard."]),
            MailKind.EscalationContactNotice => new(
                $"Besluit nodig: dialoogtraject over {topic} staat stil",
                [$"Bij het dialoogtraject over {topic} in {area} is een besluit nodig.",
                    $"De regisseur, {coordinator}, heeft nog geen keuze gemaakt. Daarom vragen we het nu aan u."],
                "Dit is er aan de hand:",
                "Kies een van deze mogelijkheden:",
                deadline is null ? null : $"Kies graag vóór {deadline}.",
                [$"Kiest niemand op tijd? Dan voert Dialoog het standaardbesluit uit. {coordinator} krijgt daarvan bericht."]),
            MailKind.DefaultDecisionApplied => new(
                $"Standaardbesluit uitgevoerd: {topic}",
                [$"Voor het dialoogtraject over {topic} in {area} is niet op tijd een keuze gemaakt.",
                    "Daarom heeft Dialoog het standaardbesluit uitgevoerd."],
                "Dit was er aan de hand:",
                "Bekijk het traject:",
                null,
                ["Bent u het niet eens met dit besluit? Kijk dan op het dashboard wat u nog kunt doen."]),
            MailKind.MandateRequest => new(
                $"Graag uw bevestiging: mandaat voor {topic}",
                [$"Uw organisatie doet mee aan het traject over {topic} in {area}.",
                    "Mensen van uw organisatie praten daar mee en maken afspraken. Daarvoor hebben zij uw toestemming nodig. Dat heet een mandaat."],
                "Deze mensen doen mee namens uw organisatie:",
                "Geeft u hun dit mandaat? Bevestig het dan hier:",
                deadline is null ? null : $"Graag vóór {deadline}.",
                ["Na uw bevestiging kunnen zij namens uw organisatie afspraken maken.",
                    $"Bevestigt u niet op tijd? Dan neemt {coordinator} contact met u op."]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No Dutch text for this kind of e-mail."),
        };
    }
}

internal sealed class EnglishWording : MailWording
{
    public override string Language => "en";

    public override bool IsEnglish => true;

    public override string SessionsHeading => "When and where";

    public override string DescriptionHeading => "What is it about?";

    public override string When => "When";

    public override string Where => "Where";

    public override string PlaceToFollow => "to be announced";

    public override string Online => "Online";

    public override string JoinOnline => "Join online";

    public override string CancelledMark => "cancelled";

    public override string ChangedMark => "changed";

    public override string NoteLabel => "Note";

    public override string Closing => "Kind regards,";

    public override string SystemName => "Dialoog";

    public override string ContactLead => "Any questions? Please contact";

    public override string CoordinatorLead => "Coordinator of this process:";

    public override string YourAnswer => "Your reply";

    public override string Greeting(string name) => $"Dear {name},";

    public override string? LinkLabel(string key) => key switch
    {
        "yes" => "Yes, I will come",
        "no" => "No, I cannot come",
        "maybe" => "Maybe",
        "reply" => "View my reply",
        "extendDeadline" => "Extend the deadline",
        "inviteMore" => "Invite more people",
        "goAhead" => "Go ahead anyway",
        "cancel" => "Stop the process",
        "mandate" => "Confirm the mandate",
        "dashboard" => "Open the dashboard",
        _ => null,
    };

    public override KindWording For(MailKind kind, MailContent content, string? deadline)
    {
        var (topic, area, coordinator) = (content.Topic, content.Area, content.CoordinatorName);
        string[] reminderNext = ["If you say yes, you will get a reminder shortly before the session."];
        return kind switch
        {
            MailKind.Invitation => new(
                $"Invitation: dialogue about {topic}",
                [$"You are invited to a dialogue about {topic} in {area}.",
                    "Different people sit at one table in this dialogue. Your experience and your opinion matter."],
                null,
                "Will you come? Let us know. Choose one of these replies:",
                deadline is null
                    ? "You can change your reply later. Just choose again."
                    : $"Please reply before {deadline}. Until then you can still change your reply. Just choose again.",
                [content.CalendarSeparately ? "You will also get a separate invitation for your calendar. You can reply Yes or No there too." : "This e-mail also contains an appointment for your calendar.", .. reminderNext]),
            MailKind.ReplyReminder => new(
                $"Reminder: will you come to the dialogue about {topic}?",
                [$"You were invited to a dialogue about {topic} in {area}.",
                    "We have not received your reply yet. Will you let us know if you are coming?"],
                null,
                "Choose one of these replies:",
                deadline is null
                    ? "You can change your reply later."
                    : $"You can reply until {deadline}. Until then you can also change your reply.",
                reminderNext),
            MailKind.ReplyConfirmation => new(
                $"Thank you for your reply: {topic}",
                [$"Thank you! We have received your reply for the dialogue about {topic}.", .. AnswerLine(content)],
                null,
                "Do you want to change your reply? Choose another reply here:",
                deadline is null ? null : $"You can change it until {deadline}.",
                [content.CurrentAnswer switch
                {
                    "yes" => "We are glad you are coming! You will get a reminder shortly before the session.",
                    "no" => "We are sorry you cannot be there. You do not need to do anything else.",
                    "maybe" => "When you know for sure, please choose yes or no. Then we know how many people to expect.",
                    _ => "You do not need to do anything else now.",
                }]),
            MailKind.ReplyAfterDeadline => new(
                $"Your reply arrived after the deadline: {topic}",
                [$"Thank you for your reply for the dialogue about {topic}.", .. AnswerLine(content),
                    $"Unfortunately the time to reply had already passed. So we have passed your reply on to {coordinator}."],
                null,
                null,
                null,
                [$"{coordinator} will check whether you can still take part. You will hear from us."]),
            MailKind.Waitlisted => new(
                $"You are on the waiting list: {topic}",
                [$"Thank you for wanting to come to the dialogue about {topic}!", "Unfortunately the session is already full. So you are now on the waiting list."],
                null,
                "Do you no longer want to come? Please let us know:",
                null,
                ["If a place becomes free, you will get an e-mail straight away, with an appointment for your calendar."]),
            MailKind.PromotedFromWaitlist => new(
                $"There is a place for you: {topic}",
                ["Good news! A place has become free.", $"You can now take part in the dialogue about {topic} in {area}."],
                null,
                "If you cannot come after all, please let us know. Then someone else can have your place.",
                null,
                ["This e-mail contains an appointment for your calendar.", "You will get a reminder shortly before the session."]),
            MailKind.SessionReminder => new(
                $"Reminder: the dialogue about {topic} is coming up",
                [$"The dialogue about {topic} is coming up soon. We are glad you are coming!", "Below you can see again when and where."],
                null,
                "If you cannot come after all, please let us know:",
                null,
                ["After the session you will get the minutes by e-mail."]),
            MailKind.SessionChanged => new(
                $"Changed: dialogue about {topic}",
                [$"Something has changed about the dialogue about {topic}.",
                    "Please check the date, time and place below. What has changed is marked \"changed\"."],
                null,
                "Can you still come? Let us know:",
                deadline is null ? null : $"You can change your reply until {deadline}.",
                ["The appointment in your calendar will be updated too.", .. reminderNext]),
            MailKind.SessionCancelled => new(
                $"Cancelled: dialogue about {topic}",
                [$"Unfortunately a session about {topic} will not take place.", "Below you can see which session it is."],
                null,
                null,
                null,
                ["You do not need to do anything. The appointment in your calendar will be cancelled.",
                    "If there is a new date, you will get a new invitation."]),
            MailKind.ProcessCancelled => new(
                $"Stopped: dialogue process about {topic}",
                [$"The dialogue process about {topic} in {area} has stopped.", "The sessions that were still planned will not take place."],
                null,
                null,
                null,
                ["You do not need to do anything. Appointments in your calendar will be cancelled.", "Thank you for your time and effort."]),
            MailKind.RepresentationEscalation => new(
                $"Decision needed: not every group is present for {topic}",
                [$"The time to reply has passed for the dialogue about {topic} in {area}.",
                    "Not every group has enough people signed up. So not everyone is at the table."],
                "These groups have too few people signed up:",
                "What do you want to do? Choose one of these options:",
                deadline is null ? null : $"Please choose before {deadline}.",
                ["If you do not choose in time, we will send this message to the escalation contact.",
                    "You can also choose on the dashboard."]),
            MailKind.EscalationContactNotice => new(
                $"Decision needed: dialogue process about {topic} is stuck",
                [$"A decision is needed for the dialogue process about {topic} in {area}.",
                    $"The coordinator, {coordinator}, has not made a choice yet. So we are asking you now."],
                "This is the situation:",
                "Choose one of these options:",
                deadline is null ? null : $"Please choose before {deadline}.",
                [$"If nobody chooses in time, Dialoog will apply the default decision. {coordinator} will be told."]),
            MailKind.DefaultDecisionApplied => new(
                $"Default decision applied: {topic}",
                [$"No choice was made in time for the dialogue process about {topic} in {area}.",
                    "So Dialoog has applied the default decision."],
                "This was the situation:",
                "View the process:",
                null,
                ["If you do not agree with this decision, see on the dashboard what you can still do."]),
            MailKind.MandateRequest => new(
                $"Please confirm: mandate for {topic}",
                [$"Your organisation takes part in the process about {topic} in {area}.",
                    "People from your organisation join the talks and make agreements there. For that they need your permission. This is called a mandate."],
                "These people take part on behalf of your organisation:",
                "Do you give them this mandate? Please confirm it here:",
                deadline is null ? null : $"Please confirm before {deadline}.",
                ["Once you confirm, they can make agreements on behalf of your organisation.",
                    $"If you do not confirm in time, {coordinator} will contact you."]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No English text for this kind of e-mail."),
        };
    }
}
