namespace Dialoog.Core.Email;

/// <summary>The words of one kind of e-mail; the composer places them.</summary>
/// <param name="Intro">What this e-mail is about, in short sentences.</param>
/// <param name="FactsLead">Introduces <see cref="MailContent.Facts"/> (shown only when there are facts).</param>
/// <param name="LinksLead">Introduces the links (shown only when there are links).</param>
/// <param name="Deadline">Until when the reader can act or change the answer (shown only with a deadline).</param>
/// <param name="Next">What happens next.</param>
/// <param name="NoteLabel">Labels <see cref="MailContent.Note"/> when the kind gives it a meaning of its own; null: the usual label.</param>
/// <param name="NotePlace">Where <see cref="MailContent.Note"/> goes.</param>
internal sealed record KindWording(
    string Subject,
    IReadOnlyList<string> Intro,
    string? FactsLead,
    string? LinksLead,
    string? Deadline,
    IReadOnlyList<string> Next,
    string? NoteLabel = null,
    NotePlace NotePlace = NotePlace.BeforeFacts);

/// <summary>Where an e-mail shows <see cref="MailContent.Note"/>, as "label: note".</summary>
internal enum NotePlace
{
    /// <summary>Before the facts: the note explains the whole e-mail (a cancellation's reason).</summary>
    BeforeFacts,

    /// <summary>After the facts: the note belongs to the item the facts name (a stuck action's reason).</summary>
    AfterFacts,

    /// <summary>Not on its own: the note is a code or a name that the sentences already use.</summary>
    InSentences,
}

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

    /// <summary>The link to the privacy statement at the foot of every e-mail to a participant.</summary>
    public abstract string PrivacyLink { get; }

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

    /// <summary><see cref="MailContent.ItemKind"/> of an action: an agreement someone made in a session.</summary>
    public const string Action = "action";

    /// <summary><see cref="MailContent.ItemKind"/> of an initiative a resident or partner submitted.</summary>
    public const string Initiative = "initiative";

    /// <summary>Words for the thing an action e-mail is about, so one sentence serves an action and an initiative.</summary>
    /// <param name="Yours">To its owner: "uw afspraak" or "het initiatief".</param>
    /// <param name="The">To anyone else: "de afspraak" or "het initiatief".</param>
    /// <param name="One">"een afspraak" or "een initiatief".</param>
    /// <param name="Holder">Who looks after it: "de eigenaar" or "de contactpersoon".</param>
    protected sealed record ItemWords(string Yours, string The, string One, string Holder);

    protected abstract ItemWords ActionWords { get; }

    protected abstract ItemWords InitiativeWords { get; }

    protected ItemWords Item(MailContent content) => IsInitiative(content) ? InitiativeWords : ActionWords;

    protected static bool IsInitiative(MailContent content) => content.ItemKind == Initiative;

    /// <summary>The text with its first letter as a capital, for a phrase that starts a sentence.</summary>
    protected static string Start(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The note without spaces around it, or null when there is none.</summary>
    protected static string? NoteText(MailContent content) => string.IsNullOrWhiteSpace(content.Note) ? null : content.Note.Trim();

    /// <summary>One line when the condition holds, otherwise none: for a sentence that only some e-mails need.</summary>
    protected static string[] LineIf(bool condition, string line) => condition ? [line] : [];

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

    public override string PrivacyLink => "Zo gaan wij om met uw gegevens";

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
        "upload" => "Verslag uploaden",
        "download" => "Verslag downloaden",
        "progress" => "Voortgang doorgeven",
        "confirm" => "Ja, verstuur mijn initiatief",
        "confirmSignUp" => "Ja, meld mij aan",
        "status" => "Bekijk hoe het gaat",
        _ => null,
    };

    /// <summary>A decision in words: the code itself (goAhead, …) never reaches anyone.</summary>
    private static string Decision(string? choice) => choice switch
    {
        "extendDeadline" => "de termijn om te reageren is verlengd",
        "inviteMore" => "er worden meer mensen uitgenodigd",
        "goAhead" => "het traject gaat door, ook zonder alle groepen",
        "cancel" => "het traject is gestopt",
        _ => "een keuze die Dialoog niet kent; kijk op het dashboard",
    };

    protected override ItemWords ActionWords { get; } = new("uw afspraak", "de afspraak", "een afspraak", "de eigenaar");

    protected override ItemWords InitiativeWords { get; } = new("het initiatief", "het initiatief", "een initiatief", "de contactpersoon");

    public override KindWording For(MailKind kind, MailContent content, string? deadline)
    {
        var (topic, area, coordinator) = (content.Topic, content.Area, content.CoordinatorName);
        string[] reminderNext = ["Zegt u ja? Dan krijgt u kort voor de bijeenkomst nog een herinnering."];
        var (item, initiative, note) = (Item(content), IsInitiative(content), NoteText(content));
        var minutesDue = LineIf(deadline is not null, $"Het verslag moest er zijn op {deadline}.");
        var minutesDueSoon = LineIf(deadline is not null, $"Graag ontvangen we het verslag vóór {deadline}.");
        const string FileTypes = "Dat kan als PDF, Word, OpenDocument of tekstbestand:";
        const string DownloadLead = "Download het verslag hier. Deze link is alleen voor u en werkt 30 dagen:";
        const string ProgressLead = "Laat via deze link weten hoe het gaat: bezig, klaar of vastgelopen. Is het vastgelopen? Schrijf dan ook op waarom:";
        var noActions = LineIf(content.Facts.Count == 0, "In deze bijeenkomst zijn geen afspraken vastgelegd.");
        var about = $"Deze e-mail gaat over {item.Yours} bij het dialoogtraject over {topic}.";
        var coordinatorTold = $"Horen we niets van u? Dan laten we het weten aan de regisseur, {coordinator}.";
        string[] ownerOptions =
        [
            $"Neem contact op met {item.Holder}. Vraag wat er nodig is om verder te gaan.",
            $"Op het dashboard kunt u {item.The} ook sluiten of aan iemand anders geven.",
        ];
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
                    "Daarom heeft Dialoog het standaardbesluit uitgevoerd.", .. LineIf(note is not null, $"Het besluit: {Decision(note)}.")],
                "Dit was er aan de hand:",
                "Bekijk het traject:",
                null,
                ["Bent u het niet eens met dit besluit? Kijk dan op het dashboard wat u nog kunt doen."],
                NotePlace: NotePlace.InSentences),
            MailKind.MandateRequest => new(
                $"Graag uw bevestiging: mandaat voor {topic}",
                [$"Uw organisatie doet mee aan het traject over {topic} in {area}.",
                    "Mensen van uw organisatie praten daar mee en maken afspraken. Daarvoor hebben zij uw toestemming nodig. Dat heet een mandaat."],
                "Deze mensen doen mee namens uw organisatie:",
                "Geeft u hun dit mandaat? Bevestig het dan hier:",
                deadline is null ? null : $"Graag vóór {deadline}.",
                ["Na uw bevestiging kunnen zij namens uw organisatie afspraken maken.",
                    $"Bevestigt u niet op tijd? Dan neemt {coordinator} contact met u op."]),
            MailKind.MinutesRequest => new(
                $"Het verslag van de bijeenkomst: {topic}",
                [$"Dank u wel voor het begeleiden van de bijeenkomst over {topic}.", .. minutesDueSoon,
                    "Wilt u het verslag uploaden zodra het klaar is?"],
                null,
                $"Upload het verslag via deze link. {FileTypes}",
                null,
                ["Vul bij het uploaden ook de afspraken in die zijn gemaakt. Schrijf bij elke afspraak wie het doet en wanneer het klaar moet zijn.",
                    "Daarna sturen we het verslag naar de deelnemers. Wie een afspraak heeft, krijgt daar apart bericht over.",
                    "Is het verslag er niet op tijd? Dan krijgt u een herinnering."]),
            MailKind.MinutesReminder => new(
                $"Graag het verslag: {topic}",
                [$"We hebben het verslag van de bijeenkomst over {topic} nog niet ontvangen.", .. minutesDue,
                    "Wilt u het zo snel mogelijk uploaden?"],
                null,
                $"Upload het verslag via deze link. {FileTypes}",
                null,
                ["Vul bij het uploaden ook de afspraken in die zijn gemaakt. Schrijf bij elke afspraak wie het doet en wanneer het klaar moet zijn.",
                    "Daarna sturen we het verslag naar de deelnemers. Wie een afspraak heeft, krijgt daar apart bericht over.",
                    $"Komt het verslag niet? Dan laten we het weten aan de regisseur, {coordinator}."]),
            MailKind.MinutesEscalation => new(
                $"Verslag is te laat: {topic}",
                [$"Het verslag van de bijeenkomst over {topic} in {area} is er nog niet.", .. minutesDue,
                    "De gespreksbegeleider heeft het nog niet geüpload."],
                "Dit weten we:",
                $"Heeft u het verslag zelf? Dan kunt u het hier uploaden. {FileTypes}",
                null,
                ["Heeft u het verslag niet? Neem dan contact op met de gespreksbegeleider.",
                    "Zodra het verslag er is, sturen we het naar de deelnemers."]),
            MailKind.MinutesAvailable => new(
                $"Het verslag is klaar: {topic}",
                [$"Het verslag van de bijeenkomst over {topic} is klaar.", .. noActions],
                "Dit zijn de afspraken die zijn gemaakt:",
                DownloadLead,
                null,
                ["Staat er een afspraak op uw naam? Dan krijgt u daarover nog een aparte e-mail.",
                    $"Klopt er iets niet in het verslag? Laat het dan weten aan {coordinator}."]),
            MailKind.MinutesCorrected => new(
                $"Nieuwe versie van het verslag: {topic}",
                [$"Er is een verbeterde versie van het verslag van de bijeenkomst over {topic}.",
                    "Deze versie komt in de plaats van het verslag dat u eerder kreeg.", .. noActions],
                "Dit zijn de afspraken in de nieuwe versie:",
                DownloadLead,
                null,
                ["Gebruik vanaf nu deze nieuwe versie. De oude versie kunt u weggooien.",
                    $"Klopt er nog iets niet? Laat het dan weten aan {coordinator}."]),
            MailKind.ActionAssigned => new(
                initiative ? $"U bent contactpersoon voor een initiatief: {topic}" : $"Uw afspraak uit het gesprek over {topic}",
                initiative
                    ? [$"Er is een initiatief ingediend bij het dialoogtraject over {topic} in {area}.",
                        "U bent de contactpersoon van de gemeente voor dit initiatief."]
                    : [$"In het gesprek over {topic} is een afspraak gemaakt. U bent de eigenaar. Dat betekent: u zorgt dat het gebeurt.",
                        .. LineIf(deadline is not null, $"Graag klaar vóór {deadline}.")],
                $"Dit is {item.Yours}:",
                ProgressLead,
                null,
                [.. LineIf(initiative, "Neem zelf contact op met de indiener. Bespreek samen de volgende stap."),
                    "We sturen u af en toe een herinnering.", coordinatorTold],
                NoteLabel: initiative ? "Over het initiatief" : null, NotePlace: NotePlace.AfterFacts),
            MailKind.ActionReminder => new(
                $"Herinnering over {item.Yours}: {topic}",
                [about, deadline is null
                        ? $"{Start(item.Yours)} moet binnenkort klaar zijn."
                        : $"{Start(item.Yours)} moet klaar zijn vóór {deadline}. Die datum komt dichtbij.",
                    "Hoe gaat het? Wilt u dat laten weten?"],
                $"Dit is {item.Yours}:",
                ProgressLead,
                null,
                ["Is het al klaar? Kies dan \"klaar\". Dan krijgt u geen herinneringen meer.",
                    $"Lukt het niet op tijd? Kies dan \"vastgelopen\" en schrijf erbij waarom. Dan kan {coordinator} met u meedenken."]),
            MailKind.ActionStalled => new(
                $"Vraag over {item.Yours}: {topic}",
                [about, .. Stalled(note, item, deadline)],
                $"Dit is {item.Yours}:",
                ProgressLead,
                null,
                [coordinatorTold, "Die kan dan met u meedenken."],
                NotePlace: NotePlace.InSentences),
            MailKind.ActionEscalation => new(
                $"Aandacht nodig voor {item.One}: {topic}",
                [$"Bij het dialoogtraject over {topic} in {area} loopt {item.One} niet zoals gepland.",
                    "Het is vastgelopen, of er is te lang niets gebeurd. Daarom krijgt u dit bericht."],
                "Dit is er aan de hand:",
                "Bekijk het op het dashboard:",
                null,
                ["Wat kunt u doen?", .. ownerOptions],
                NoteLabel: $"Reden van {item.Holder}", NotePlace: NotePlace.AfterFacts),
            MailKind.InitiativeReceived => new(
                $"We hebben uw initiatief ontvangen: {topic}",
                [$"Bedankt voor uw initiatief bij het dialoogtraject over {topic} in {area}!", "We hebben het goed ontvangen."],
                "Dit is uw initiatief:",
                "Via deze link ziet u altijd hoe het met uw initiatief gaat. De link is alleen voor u:",
                null,
                note is null
                    ? ["We zoeken nu bij de gemeente een contactpersoon voor uw initiatief.",
                        "Die neemt daarna contact met u op. Samen bespreekt u de volgende stap."]
                    : [$"Uw contactpersoon bij de gemeente is {note}.", $"{note} neemt contact met u op. Samen bespreekt u de volgende stap."],
                NotePlace: NotePlace.InSentences),
            MailKind.InitiativeConfirm => new(
                $"Bevestig uw initiatief: {topic}",
                [$"U heeft een initiatief ingediend bij het dialoogtraject over {topic} in {area}.", "Klopt dat? Bevestig het dan met de knop hieronder."],
                "Dit is uw initiatief:",
                "Pas als u op deze knop drukt, gaat uw initiatief naar de gemeente. De link werkt 48 uur:",
                null,
                ["Heeft u geen initiatief ingediend? Dan hoeft u niets te doen. Wij bewaren uw gegevens dan niet langer dan 48 uur."]),
            MailKind.SignUpConfirm => new(
                $"Bevestig uw aanmelding: {topic}",
                [$"U heeft zich aangemeld voor het gesprek over {topic} in {area}.", "Klopt dat? Bevestig het dan met de knop hieronder."],
                null,
                "Pas als u op deze knop drukt, bent u aangemeld. De link werkt 48 uur:",
                null,
                ["Heeft u zich niet aangemeld? Dan hoeft u niets te doen. Wij bewaren uw gegevens dan niet langer dan 48 uur."]),
            MailKind.SignedUp => new(
                $"U bent aangemeld: {topic}",
                [$"U bent aangemeld voor het gesprek over {topic} in {area}. Uw aanmelding geldt voor alle bijeenkomsten hieronder.", .. AnswerLine(content)],
                null,
                "Kunt u toch niet komen, of weet u het nog niet? Kies dan hier een ander antwoord:",
                deadline is null ? null : $"Veranderen kan tot {deadline}.",
                [content.CurrentAnswer == "yes" ? "Fijn dat u komt! Kort voor de bijeenkomst krijgt u nog een herinnering." : "U hoeft nu verder niets te doen."]),
            MailKind.InitiativeClosed => new(
                $"Uw initiatief is afgerond: {topic}",
                [$"Het initiatief dat u indiende bij het dialoogtraject over {topic} is afgerond.", "Uw contactpersoon bij de gemeente heeft dit doorgegeven."],
                "Dit is uw initiatief:",
                null,
                null,
                ["Bedankt voor uw inzet!", $"Heeft u nog vragen? Antwoord dan op deze e-mail. Die komt bij de regisseur, {coordinator}."],
                NoteLabel: "Toelichting", NotePlace: NotePlace.AfterFacts),
            MailKind.ProgressReport => new(
                $"Overzicht van de afspraken: {topic}",
                [$"Hier is een overzicht van de afspraken bij het dialoogtraject over {topic} in {area}.", "Zo ziet u in één keer hoe het gaat."],
                "Zo staan de afspraken en initiatieven ervoor:",
                "Meer weten? Kijk op het dashboard:",
                null,
                ["Loopt er iets vast?", .. ownerOptions, "Over een tijdje krijgt u weer een nieuw overzicht."]),
            MailKind.ProcessSummary => new(
                $"Samenvatting van het dialoogtraject over {topic}",
                [$"Het dialoogtraject over {topic} in {area} is voorbij.", .. Ending(note)],
                "Dit is de samenvatting:",
                "Alles nog eens bekijken? Dat kan op het dashboard:",
                null,
                ["U kunt dit overzicht gebruiken voor een evaluatie of een verslag.", "Bedankt voor uw inzet als regisseur van dit traject."],
                NotePlace: NotePlace.InSentences),
            MailKind.ActionClosed => new(
                $"{Start(item.Yours)} is afgesloten: {topic}",
                [about, $"De regisseur, {coordinator}, heeft {item.Yours} afgesloten.", "U hoeft er niets meer aan te doen."],
                $"Dit is {item.Yours}:",
                null,
                null,
                ["U krijgt hierover geen herinneringen meer.", "Bedankt voor uw inzet!"],
                NoteLabel: "Reden", NotePlace: NotePlace.AfterFacts),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No Dutch text for this kind of e-mail."),
        };
    }

    /// <summary>Why we ask, said kindly: <c>overdue</c> (the due date passed) or <c>noUpdate</c> (no news for a while).</summary>
    private static string[] Stalled(string? reason, ItemWords item, string? deadline) => reason switch
    {
        "overdue" => [deadline is null
                ? $"De datum voor {item.Yours} is voorbij."
                : $"{Start(item.Yours)} moest klaar zijn vóór {deadline}. Die datum is nu voorbij.",
            "Misschien is het al klaar. Of heeft u meer tijd nodig. Dat kan gebeuren."],
        "noUpdate" => [$"We hebben al een tijdje niets gehoord over {item.Yours}.", "Misschien had u het druk. Dat begrijpen we goed."],
        _ => [$"We willen graag weten hoe het gaat met {item.Yours}."],
    };

    /// <summary>How the process ended: the words the coordinator chose ("afgerond", "gesloten", "geannuleerd") or their own text.</summary>
    private static string[] Ending(string? note) => note switch
    {
        null => [],
        "afgerond" => ["Het traject is afgerond."],
        "gesloten" => ["Het traject is gesloten."],
        "geannuleerd" => ["Het traject is geannuleerd."],
        _ => [$"Zo is het traject geëindigd: {note}"],
    };
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

    public override string PrivacyLink => "How we handle your personal data";

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
        "upload" => "Upload the minutes",
        "download" => "Download the minutes",
        "progress" => "Report progress",
        "confirm" => "Yes, send my initiative",
        "confirmSignUp" => "Yes, sign me up",
        "status" => "See how it is going",
        _ => null,
    };

    /// <summary>A decision in words: the code itself (goAhead, …) never reaches anyone.</summary>
    private static string Decision(string? choice) => choice switch
    {
        "extendDeadline" => "the time to reply has been extended",
        "inviteMore" => "more people are being invited",
        "goAhead" => "the process goes ahead, also without every group",
        "cancel" => "the process has been stopped",
        _ => "a choice Dialoog does not know; see the dashboard",
    };

    protected override ItemWords ActionWords { get; } = new("your action", "the action", "an action", "the owner");

    protected override ItemWords InitiativeWords { get; } = new("the initiative", "the initiative", "an initiative", "the contact person");

    public override KindWording For(MailKind kind, MailContent content, string? deadline)
    {
        var (topic, area, coordinator) = (content.Topic, content.Area, content.CoordinatorName);
        string[] reminderNext = ["If you say yes, you will get a reminder shortly before the session."];
        var (item, initiative, note) = (Item(content), IsInitiative(content), NoteText(content));
        var minutesDue = LineIf(deadline is not null, $"They were due on {deadline}.");
        var minutesDueSoon = LineIf(deadline is not null, $"We would like to have them by {deadline}.");
        const string FileTypes = "You can use PDF, Word, OpenDocument or a text file:";
        const string DownloadLead = "Download the minutes here. This link is only for you and works for 30 days:";
        const string ProgressLead = "Use this link to tell us how it is going: in progress, done or stuck. If it is stuck, please also tell us why:";
        var noActions = LineIf(content.Facts.Count == 0, "No actions were recorded in this session.");
        var about = $"This e-mail is about {item.Yours} in the dialogue process about {topic}.";
        var coordinatorTold = $"If we do not hear from you, we will let the coordinator, {coordinator}, know.";
        string[] ownerOptions =
        [
            $"Get in touch with {item.Holder} and ask what is needed to move on.",
            $"On the dashboard you can also close {item.The} or give it to someone else.",
        ];
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
                    "So Dialoog has applied the default decision.", .. LineIf(note is not null, $"The decision: {Decision(note)}.")],
                "This was the situation:",
                "View the process:",
                null,
                ["If you do not agree with this decision, see on the dashboard what you can still do."],
                NotePlace: NotePlace.InSentences),
            MailKind.MandateRequest => new(
                $"Please confirm: mandate for {topic}",
                [$"Your organisation takes part in the process about {topic} in {area}.",
                    "People from your organisation join the talks and make agreements there. For that they need your permission. This is called a mandate."],
                "These people take part on behalf of your organisation:",
                "Do you give them this mandate? Please confirm it here:",
                deadline is null ? null : $"Please confirm before {deadline}.",
                ["Once you confirm, they can make agreements on behalf of your organisation.",
                    $"If you do not confirm in time, {coordinator} will contact you."]),
            MailKind.MinutesRequest => new(
                $"The minutes of the session: {topic}",
                [$"Thank you for facilitating the session about {topic}.", .. minutesDueSoon,
                    "Could you upload the minutes as soon as they are ready?"],
                null,
                $"Upload the minutes through this link. {FileTypes}",
                null,
                ["When you upload them, please also enter the agreements that were made. For each one, say who will do it and when it should be done.",
                    "We then send the minutes to the participants. Everyone with an agreed action gets a separate message about it.",
                    "If the minutes are not in on time, you will get a reminder."]),
            MailKind.MinutesReminder => new(
                $"Minutes needed: {topic}",
                [$"We have not yet received the minutes of the session about {topic}.", .. minutesDue,
                    "Could you upload them as soon as possible?"],
                null,
                $"Upload the minutes through this link. {FileTypes}",
                null,
                ["When you upload them, please also enter the agreements that were made. For each one, say who will do it and when it should be done.",
                    "We then send the minutes to the participants. Everyone with an agreed action gets a separate message about it.",
                    $"If the minutes do not arrive, we will let the coordinator, {coordinator}, know."]),
            MailKind.MinutesEscalation => new(
                $"Minutes are late: {topic}",
                [$"The minutes of the session about {topic} in {area} are not in yet.", .. minutesDue,
                    "The facilitator has not uploaded them."],
                "What we know:",
                $"Do you have the minutes yourself? Then you can upload them here. {FileTypes}",
                null,
                ["If you do not have them, please contact the facilitator.",
                    "As soon as the minutes are in, we send them to the participants."]),
            MailKind.MinutesAvailable => new(
                $"The minutes are ready: {topic}",
                [$"The minutes of the session about {topic} are ready.", .. noActions],
                "These are the actions that were agreed:",
                DownloadLead,
                null,
                ["If an action is in your name, you will get a separate e-mail about it.",
                    $"If something in the minutes is not right, please tell {coordinator}."]),
            MailKind.MinutesCorrected => new(
                $"New version of the minutes: {topic}",
                [$"There is a corrected version of the minutes of the session about {topic}.",
                    "It replaces the minutes you received earlier.", .. noActions],
                "These are the actions in the new version:",
                DownloadLead,
                null,
                ["From now on, please use this new version. You can delete the old one.",
                    $"If something is still not right, please tell {coordinator}."]),
            MailKind.ActionAssigned => new(
                initiative ? $"You are the contact person for an initiative: {topic}" : $"Your action from the dialogue about {topic}",
                initiative
                    ? [$"An initiative was submitted in the dialogue process about {topic} in {area}.",
                        "You are the municipality's contact person for this initiative."]
                    : [$"An action was agreed in the dialogue about {topic}. You are its owner. That means you make sure it happens.",
                        .. LineIf(deadline is not null, $"Please have it done before {deadline}.")],
                $"This is {item.Yours}:",
                ProgressLead,
                null,
                [.. LineIf(initiative, "Please contact the person who submitted it, and agree on the next step together."),
                    "We will send you a reminder now and then.", coordinatorTold],
                NoteLabel: initiative ? "About the initiative" : null, NotePlace: NotePlace.AfterFacts),
            MailKind.ActionReminder => new(
                $"Reminder about {item.Yours}: {topic}",
                [about, deadline is null
                        ? $"{Start(item.Yours)} should be done soon."
                        : $"{Start(item.Yours)} should be done before {deadline}. That date is coming close.",
                    "How is it going? Please let us know."],
                $"This is {item.Yours}:",
                ProgressLead,
                null,
                ["Is it done already? Then choose \"done\". You will not get any more reminders.",
                    $"Will it not be ready in time? Then choose \"stuck\" and say why. Then {coordinator} can help you find a way."]),
            MailKind.ActionStalled => new(
                $"A question about {item.Yours}: {topic}",
                [about, .. Stalled(note, item, deadline)],
                $"This is {item.Yours}:",
                ProgressLead,
                null,
                [coordinatorTold, "They can then think along with you."],
                NotePlace: NotePlace.InSentences),
            MailKind.ActionEscalation => new(
                $"Attention needed for {item.One}: {topic}",
                [$"In the dialogue process about {topic} in {area}, {item.One} is not going as planned.",
                    "It is stuck, or nothing has happened for too long. That is why you get this message."],
                "This is the situation:",
                "View it on the dashboard:",
                null,
                ["What can you do?", .. ownerOptions],
                NoteLabel: $"Reason given by {item.Holder}", NotePlace: NotePlace.AfterFacts),
            MailKind.InitiativeReceived => new(
                $"We have received your initiative: {topic}",
                [$"Thank you for your initiative in the dialogue process about {topic} in {area}!", "We have received it."],
                "This is your initiative:",
                "With this link you can always see how your initiative is going. The link is only for you:",
                null,
                note is null
                    ? ["We are now looking for a contact person at the municipality for your initiative.",
                        "They will then contact you, and together you will discuss the next step."]
                    : [$"Your contact person at the municipality is {note}.", $"{note} will contact you, and together you will discuss the next step."],
                NotePlace: NotePlace.InSentences),
            MailKind.InitiativeConfirm => new(
                $"Please confirm your initiative: {topic}",
                [$"You submitted an initiative in the dialogue process about {topic} in {area}.", "Is that right? Then please confirm it with the button below."],
                "This is your initiative:",
                "Only when you press this button does your initiative go to the municipality. The link works for 48 hours:",
                null,
                ["Did you not submit an initiative? Then you do not need to do anything. We then keep your details no longer than 48 hours."]),
            MailKind.SignUpConfirm => new(
                $"Please confirm your sign-up: {topic}",
                [$"You signed up for the dialogue about {topic} in {area}.", "Is that right? Then please confirm it with the button below."],
                null,
                "Only when you press this button are you signed up. The link works for 48 hours:",
                null,
                ["Did you not sign up? Then you do not need to do anything. We then keep your details no longer than 48 hours."]),
            MailKind.SignedUp => new(
                $"You have signed up: {topic}",
                [$"You have signed up for the dialogue about {topic} in {area}. Your sign-up is for all the sessions below.", .. AnswerLine(content)],
                null,
                "Can you not come after all, or are you not sure yet? Choose another reply here:",
                deadline is null ? null : $"You can change it until {deadline}.",
                [content.CurrentAnswer == "yes" ? "We are glad you are coming! You will get a reminder shortly before the session." : "You do not need to do anything else now."]),
            MailKind.InitiativeClosed => new(
                $"Your initiative is finished: {topic}",
                [$"The initiative you submitted in the dialogue process about {topic} is finished.", "Your contact person at the municipality has told us."],
                "This is your initiative:",
                null,
                null,
                ["Thank you for your effort!", $"Do you have questions? Reply to this e-mail. It goes to the coordinator, {coordinator}."],
                NoteLabel: "Note", NotePlace: NotePlace.AfterFacts),
            MailKind.ProgressReport => new(
                $"Overview of the agreed actions: {topic}",
                [$"Here is an overview of the agreed actions in the dialogue process about {topic} in {area}.", "So you can see at a glance how things are going."],
                "This is where the actions and initiatives stand:",
                "Want to know more? See the dashboard:",
                null,
                ["Is something stuck?", .. ownerOptions, "You will get a new overview after a while."]),
            MailKind.ProcessSummary => new(
                $"Summary of the dialogue process about {topic}",
                [$"The dialogue process about {topic} in {area} has ended.", .. Ending(note)],
                "This is the summary:",
                "Want to look at everything again? You can on the dashboard:",
                null,
                ["You can use this overview for an evaluation or a report.", "Thank you for your work as coordinator of this process."],
                NotePlace: NotePlace.InSentences),
            MailKind.ActionClosed => new(
                $"{Start(item.Yours)} has been closed: {topic}",
                [about, $"The coordinator, {coordinator}, has closed {item.Yours}.", "You do not need to do anything more for it."],
                $"This is {item.Yours}:",
                null,
                null,
                ["You will not get any more reminders about it.", "Thank you for your effort!"],
                NoteLabel: "Reason", NotePlace: NotePlace.AfterFacts),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No English text for this kind of e-mail."),
        };
    }

    /// <summary>Why we ask, said kindly: <c>overdue</c> (the due date passed) or <c>noUpdate</c> (no news for a while).</summary>
    private static string[] Stalled(string? reason, ItemWords item, string? deadline) => reason switch
    {
        "overdue" => [deadline is null
                ? $"The date for {item.Yours} has passed."
                : $"{Start(item.Yours)} was due before {deadline}. That date has now passed.",
            "Perhaps it is already done. Or perhaps you need more time. That happens."],
        "noUpdate" => [$"We have not heard about {item.Yours} for a while.", "Perhaps you have been busy. We understand."],
        _ => [$"We would like to know how {item.Yours} is going."],
    };

    /// <summary>How the process ended: the Dutch words the coordinator chose, in English, or their own text as it is.</summary>
    private static string[] Ending(string? note) => note switch
    {
        null => [],
        "afgerond" => ["The process was completed."],
        "gesloten" => ["The process was closed."],
        "geannuleerd" => ["The process was cancelled."],
        _ => [$"This is how the process ended: {note}"],
    };
}
