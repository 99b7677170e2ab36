using static Dialoog.Core.Processes.Definition.DefinitionLimits;
using static Dialoog.Core.Processes.Definition.DefinitionRules;
using static Dialoog.Core.Processes.Definition.DutchText;
using static Dialoog.Core.Processes.Definition.ValidationErrors;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Checks a definition before anything is stored or sent. The result maps camelCase JSON paths
/// (<c>participants[3].email</c>, <c>policy.replyDeadline</c>) to Dutch messages at B1 level that say what is wrong
/// and what is allowed; empty means valid. Limits are in <see cref="DefinitionLimits"/>. Run
/// <see cref="ProcessDefinitionNormalizer.Normalize"/> first: it assigns session ids and trims input.
/// </summary>
public static class ProcessDefinitionValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(ProcessDefinition definition, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(definition);
        nowUtc = AsUtc(nowUtc);
        var errors = new ValidationErrors();

        RequiredLine(errors, "topic", definition.Topic, TopicLength,
            "Vul het onderwerp van de dialoog in, bijvoorbeeld 'Samen zorgen voor jongeren in de wijk'.", "het onderwerp");
        RequiredLine(errors, "area", definition.Area, AreaLength,
            "Vul de gemeente en het gebied in, bijvoorbeeld 'Gemeente Zwolle, wijk Holtenbroek'.", "de gemeente en het gebied");
        OptionalText(errors, "description", definition.Description, DescriptionLength, "de beschrijving");
        OptionalLine(errors, "template", definition.Template, TemplateNameLength, "de naam van het sjabloon");

        Person(errors, "coordinator", definition.Coordinator, "de regisseur");
        Person(errors, "escalationContact", definition.EscalationContact, "de contactpersoon voor escalatie");
        if (!errors.HasUnder("coordinator") && !errors.HasUnder("escalationContact")
            && string.Equals(definition.Coordinator.Email.Trim(), definition.EscalationContact.Email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("escalationContact.email",
                "De contactpersoon voor escalatie moet iemand anders zijn dan de regisseur, want die wordt gewaarschuwd als de regisseur niet beslist. Vul een ander e-mailadres in.");
        }

        if (definition.CoordinatorAccount is { } account && !IsEntraAccount(account))
        {
            errors.Add("coordinatorAccount",
                "Het account van de regisseur is de tenant-id en de object-id uit Entra ID, met een / ertussen, bijvoorbeeld '0f3a…/6b2c…'. Laat het weg als u het niet weet.");
        }

        var groups = definition.Groups ?? [];
        var participants = definition.Participants ?? [];
        var sessions = definition.Sessions ?? [];
        var policy = definition.Policy ?? new ProcessPolicy();

        ValidateGroups(errors, groups, participants);
        ValidateParticipants(errors, participants, groups);
        ValidateSessions(errors, sessions, groups, policy, nowUtc);
        ValidatePolicy(errors, policy);
        ValidateSignUp(errors, definition.SignUp, groups);
        return errors.ToDictionary();
    }

    /// <summary>The open sign-up: groups that exist (at least one), questions with an id, a text and distinct choices.</summary>
    private static void ValidateSignUp(ValidationErrors errors, SignUpSettings? signUp, IReadOnlyList<StakeholderGroup> groups)
    {
        if (signUp is null)
        {
            return;
        }

        var known = GroupNames(groups);
        var open = signUp.Groups ?? [];
        if (open.Count == 0)
        {
            errors.Add("signUp.groups", "Kies minstens één groep waarvoor mensen zich zelf kunnen aanmelden, bijvoorbeeld inwoners. Of laat signUp weg.");
        }

        for (var i = 0; i < open.Count; i++)
        {
            var name = open[i]?.Trim() ?? "";
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"signUp.groups[{i}]", known.Count == 0
                    ? $"De groep {Quote(name)} bestaat niet in dit traject. Voeg eerst groepen toe."
                    : $"De groep {Quote(name)} bestaat niet in dit traject. Kies uit: {List(known)}.");
            }
            else if (open.Take(i).Any(g => string.Equals(g?.Trim(), name, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"signUp.groups[{i}]", $"De groep {Quote(name)} staat er twee keer. Noem elke groep één keer.");
            }
        }

        var questions = signUp.Questions ?? [];
        if (questions.Count > MaxSignUpQuestions)
        {
            errors.Add("signUp.questions", $"Er zijn {questions.Count} vragen. Stel er hoogstens {MaxSignUpQuestions}.");
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < questions.Count; i++)
        {
            var prefix = $"signUp.questions[{i}]";
            if (questions[i] is not { } question)
            {
                errors.Add(prefix, "Deze vraag is leeg. Vul een id en een vraag in, of haal de regel weg.");
                continue;
            }

            if (!IsSessionId(question.Id))
            {
                errors.Add(Key(prefix, "id"), $"Geef de vraag een id met alleen letters, cijfers en '-' (hoogstens {SessionIdLength} tekens), bijvoorbeeld nodig.");
            }
            else if (!ids.Add(question.Id))
            {
                errors.Add(Key(prefix, "id"), $"Het id {Quote(question.Id)} staat al bij een andere vraag. Geef elke vraag een eigen id.");
            }

            RequiredLine(errors, Key(prefix, "text"), question.Text, SignUpQuestionLength,
                "Vul de vraag in, bijvoorbeeld 'Heeft u iets nodig om mee te kunnen doen?'.", "de vraag");
            var choices = question.Choices ?? [];
            if (choices.Count > MaxSignUpChoices)
            {
                errors.Add(Key(prefix, "choices"), $"Er zijn {choices.Count} keuzes. Geef er hoogstens {MaxSignUpChoices}.");
            }

            if (choices.Count == 0 && !question.FreeText)
            {
                errors.Add(prefix, "Deze vraag heeft geen keuzes en geen vrij tekstveld, dus niemand kan haar beantwoorden. Geef keuzes of zet freeText aan.");
            }

            for (var c = 0; c < choices.Count; c++)
            {
                RequiredLine(errors, $"{prefix}.choices[{c}]", choices[c], SignUpChoiceLength, "Deze keuze is leeg. Vul een tekst in of haal haar weg.", "de keuze");
                if (!string.IsNullOrWhiteSpace(choices[c]) && choices.Take(c).Any(other => string.Equals(other?.Trim(), choices[c].Trim(), StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add($"{prefix}.choices[{c}]", $"De keuze {Quote(choices[c])} staat er twee keer. Noem elke keuze één keer.");
                }
            }
        }
    }

    /// <summary>
    /// People added to a running process. Keys are paths in the added list (<c>participants[0].email</c>): the same
    /// rules as for the definition, plus no address or phone number that is already invited and no more than
    /// <see cref="DefinitionLimits.MaxParticipants"/> in total.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ValidateAddedParticipants(ProcessDefinition existing, IReadOnlyList<ParticipantDefinition>? added)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var errors = new ValidationErrors();
        var current = existing.Participants ?? [];
        added ??= [];
        if (added.Count == 0)
        {
            errors.Add("participants", "Voeg minstens één deelnemer toe.");
        }
        else if (current.Count + added.Count > MaxParticipants)
        {
            var room = Math.Max(0, MaxParticipants - current.Count);
            errors.Add("participants",
                $"Er kunnen hoogstens {MaxParticipants} deelnemers in een traject. Er zijn er al {current.Count}, dus u kunt er nog {room} toevoegen (nu {added.Count}).");
        }

        var seen = NewEmailIndex();
        for (var i = 0; i < current.Count; i++)
        {
            if (current[i]?.Email is { } email && !string.IsNullOrWhiteSpace(email))
            {
                seen.TryAdd(email.Trim(), new EmailOwner(i, current[i].Name, AlreadyInvited: true));
            }

            if (current[i]?.Phone is { } phone && !string.IsNullOrWhiteSpace(phone))
            {
                seen.TryAdd(PhoneKey(phone), new EmailOwner(i, current[i].Name, AlreadyInvited: true));
            }
        }

        var groupNames = GroupNames(existing.Groups ?? []);
        for (var i = 0; i < added.Count; i++)
        {
            Participant(errors, $"participants[{i}]", i, added[i], groupNames, seen);
        }

        return errors.ToDictionary();
    }

    /// <summary>
    /// A new start and end for session <paramref name="sessionId"/>: the session exists, starts in the future, ends
    /// after it starts, at most 24 hours later. Keys: <c>sessionId</c>, <c>start</c>, <c>end</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ValidateReschedule(
        ProcessDefinition definition, string? sessionId, DateTime start, DateTime end, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new ValidationErrors();
        var sessions = definition.Sessions ?? [];
        if (!sessions.Any(s => s is not null && string.Equals(s.Id, sessionId, StringComparison.OrdinalIgnoreCase)))
        {
            var known = List([.. sessions.Where(s => s?.Id is not null).Select(s => $"{s.Id} ({s.Title})")]);
            errors.Add("sessionId", $"Er is geen bijeenkomst met id {Quote(sessionId)} in dit traject. Deze zijn er: {known}.");
        }

        SessionTimes(errors, "", start, end, AsUtc(nowUtc));
        return errors.ToDictionary();
    }

    private static void ValidateGroups(ValidationErrors errors, IReadOnlyList<StakeholderGroup> groups, IReadOnlyList<ParticipantDefinition> participants)
    {
        if (groups.Count < MinGroups)
        {
            errors.Add("groups", "Voeg minstens één groep toe, bijvoorbeeld inwoners of gemeente. Elke groep moet aan tafel zitten.");
        }
        else if (groups.Count > MaxGroups)
        {
            errors.Add("groups", $"Er zijn {groups.Count} groepen. Een traject heeft er hoogstens {MaxGroups}. Voeg groepen samen.");
        }

        var firstRow = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < groups.Count; i++)
        {
            var prefix = $"groups[{i}]";
            var group = groups[i];
            if (group is null)
            {
                errors.Add(prefix, "Deze groep is leeg. Vul een naam en een minimum in, of haal de regel weg.");
                continue;
            }

            var nameKey = Key(prefix, "name");
            RequiredLine(errors, nameKey, group.Name, GroupNameLength, "Vul de naam van de groep in, bijvoorbeeld inwoners of gemeente.", "de naam van de groep");
            if (!string.IsNullOrWhiteSpace(group.Name) && !firstRow.TryAdd(group.Name.Trim(), i))
            {
                errors.Add(nameKey, $"De groep {Quote(group.Name.Trim())} staat er al (groep {firstRow[group.Name.Trim()] + 1}). Elke groep komt één keer voor.");
            }

            var minimumKey = Key(prefix, "minimum");
            Range(errors, minimumKey, group.Minimum, 0, MaxGroupMinimum, "het minimum", "Dat is het aantal mensen uit deze groep dat er minstens moet zijn.");
            if (group.Manager is not null)
            {
                Person(errors, Key(prefix, "manager"), group.Manager, "de leidinggevende van deze groep");
            }
            else if (group.MandateRequired)
            {
                errors.Add(Key(prefix, "manager"),
                    "Deze groep heeft een mandaat nodig. Vul daarom de leidinggevende in die het mandaat bevestigt: naam en e-mailadres.");
            }

            if (!errors.Has(minimumKey) && !string.IsNullOrWhiteSpace(group.Name))
            {
                var invited = participants.Count(p => string.Equals(p?.Group?.Trim(), group.Name.Trim(), StringComparison.OrdinalIgnoreCase));
                if (invited < group.Minimum)
                {
                    var count = invited switch { 0 => "is nog niemand", 1 => "is er 1", _ => $"zijn er {invited}" };
                    errors.Add(minimumKey,
                        $"{group.Name.Trim()}: minimaal {group.Minimum} nodig, maar er {count} uitgenodigd. Nodig meer mensen uit deze groep uit of verlaag het minimum.");
                }
            }
        }
    }

    private static void ValidateParticipants(ValidationErrors errors, IReadOnlyList<ParticipantDefinition> participants, IReadOnlyList<StakeholderGroup> groups)
    {
        if (participants.Count < MinParticipants)
        {
            errors.Add("participants", "Nodig minstens één deelnemer uit.");
        }
        else if (participants.Count > MaxParticipants)
        {
            errors.Add("participants", $"Er zijn {participants.Count} deelnemers. Een traject heeft er hoogstens {MaxParticipants}. Verdeel ze over meer trajecten.");
        }

        var groupNames = GroupNames(groups);
        var seen = NewEmailIndex();
        for (var i = 0; i < participants.Count; i++)
        {
            Participant(errors, $"participants[{i}]", i, participants[i], groupNames, seen);
        }
    }

    private static void ValidateSessions(
        ValidationErrors errors, IReadOnlyList<SessionDefinition> sessions, IReadOnlyList<StakeholderGroup> groups, ProcessPolicy policy, DateTime nowUtc)
    {
        if (sessions.Count < MinSessions)
        {
            errors.Add("sessions", "Plan minstens één bijeenkomst.");
        }
        else if (sessions.Count > MaxSessions)
        {
            errors.Add("sessions", $"Er zijn {sessions.Count} bijeenkomsten. Een traject heeft er hoogstens {MaxSessions}. Maak er meer trajecten van.");
        }

        var needed = groups.Where(g => g is not null).Sum(g => Math.Clamp(g.Minimum, 0, MaxGroupMinimum));
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var earliest = -1;
        for (var i = 0; i < sessions.Count; i++)
        {
            var prefix = $"sessions[{i}]";
            var session = sessions[i];
            if (session is null)
            {
                errors.Add(prefix, "Deze bijeenkomst is leeg. Vul titel, tijd en plaats in, of haal de regel weg.");
                continue;
            }

            var idKey = Key(prefix, "id");
            if (string.IsNullOrWhiteSpace(session.Id))
            {
                errors.Add(idKey, "Deze bijeenkomst heeft geen id. Laat het veld weg, dan krijgt ze er een (s1, s2, …), of gebruik letters, cijfers en '-'.");
            }
            else if (!IsSessionId(session.Id))
            {
                errors.Add(idKey, $"Het id {Quote(session.Id)} kan niet. Gebruik alleen letters, cijfers en '-' (hoogstens {SessionIdLength} tekens), bijvoorbeeld s1 of ontdekken.");
            }
            else if (!ids.TryAdd(session.Id, i))
            {
                errors.Add(idKey, $"Het id {Quote(session.Id)} staat ook bij bijeenkomst {ids[session.Id] + 1}. Geef elke bijeenkomst een eigen id.");
            }

            RequiredLine(errors, Key(prefix, "title"), session.Title, SessionTitleLength,
                "Vul de titel van de bijeenkomst in, bijvoorbeeld 'Dialoog over de nieuwe speeltuin'.", "de titel");
            SessionTimes(errors, prefix, session.Start, session.End, nowUtc);
            if (!errors.Has(Key(prefix, "start")) && (earliest < 0 || AmsterdamTime.ToUtc(session.Start) < AmsterdamTime.ToUtc(sessions[earliest].Start)))
            {
                earliest = i;
            }

            ValidatePlace(errors, prefix, session);
            if (session.Capacity is { } capacity)
            {
                var capacityKey = Key(prefix, "capacity");
                Range(errors, capacityKey, capacity, MinCapacity, MaxCapacity, "het aantal plaatsen", "Laat het veld weg als er geen grens is.");
                if (!errors.Has(capacityKey) && capacity < needed)
                {
                    errors.Add(capacityKey,
                        $"Alle groepen samen hebben minimaal {needed} mensen nodig, maar deze bijeenkomst heeft maar {capacity} plaatsen. Maak de bijeenkomst groter of verlaag een minimum.");
                }
            }

            if (session.Facilitator is not null)
            {
                Person(errors, Key(prefix, "facilitator"), session.Facilitator, "de gespreksbegeleider");
            }
        }

        // Invitations for every session go out at the start; the first session comes after everyone could reply.
        if (earliest >= 0 && policy.ReplyDeadline > TimeSpan.Zero && policy.ReplyDeadline <= MaxDuration)
        {
            var deadline = nowUtc + policy.ReplyDeadline;
            var startUtc = AmsterdamTime.ToUtc(sessions[earliest].Start);
            if (startUtc <= deadline)
            {
                errors.Add($"sessions[{earliest}].start",
                    $"De eerste bijeenkomst begint te vroeg: op {MomentOfUtc(startUtc)}. Mensen mogen reageren tot {MomentOfUtc(deadline)} "
                    + $"({Duration(policy.ReplyDeadline)} na de uitnodiging). Kies een latere begintijd, of maak de reactietermijn (policy.replyDeadline) korter.");
            }
        }
    }

    private static void ValidatePlace(ValidationErrors errors, string prefix, SessionDefinition session)
    {
        var hasLocation = !string.IsNullOrWhiteSpace(session.Location);
        var hasLink = !string.IsNullOrWhiteSpace(session.OnlineLink);
        if (!hasLocation && !hasLink)
        {
            errors.Add(Key(prefix, "location"), "Vul in waar de bijeenkomst is (adres of gebouw), of geef een link om online mee te doen (onlineLink).");
        }

        OptionalLine(errors, Key(prefix, "location"), session.Location, LocationLength, "de plaats");
        if (hasLink)
        {
            var linkKey = Key(prefix, "onlineLink");
            if (session.OnlineLink!.Length > OnlineLinkLength)
            {
                errors.Add(linkKey, TooLong("de link", session.OnlineLink.Length, OnlineLinkLength));
            }
            else if (!IsHttpUrl(session.OnlineLink))
            {
                errors.Add(linkKey, $"{Quote(session.OnlineLink)} is geen volledige link. Gebruik een webadres dat begint met https://, bijvoorbeeld https://teams.microsoft.com/….");
            }
        }
    }

    private static void ValidatePolicy(ValidationErrors errors, ProcessPolicy policy)
    {
        PositiveDuration(errors, "policy.replyDeadline", policy.ReplyDeadline, "de reactietermijn");
        PositiveDuration(errors, "policy.reminderCadence", policy.ReminderCadence, "de tijd tussen twee herinneringen");
        Range(errors, "policy.maxReminders", policy.MaxReminders, 0, MaxReminders, "het aantal herinneringen");
        PositiveDuration(errors, "policy.sessionReminderBefore", policy.SessionReminderBefore, "de herinnering voor de bijeenkomst");
        PositiveDuration(errors, "policy.decisionTimeout", policy.DecisionTimeout, "de tijd die de regisseur heeft om te beslissen");
        PositiveDuration(errors, "policy.escalationContactTimeout", policy.EscalationContactTimeout, "de tijd die de contactpersoon voor escalatie heeft");
        if (policy.DefaultDecision is not (DecisionChoices.GoAhead or DecisionChoices.Cancel))
        {
            errors.Add("policy.defaultDecision",
                $"Kies wat er gebeurt als niemand beslist: {DecisionChoices.GoAhead} (toch doorgaan) of {DecisionChoices.Cancel} (afzeggen). Nu staat er {Quote(policy.DefaultDecision)}.");
        }

        PositiveDuration(errors, "policy.minutesDue", policy.MinutesDue, "de termijn voor het verslag");
        PositiveDuration(errors, "policy.minutesReminder", policy.MinutesReminder, "de tweede herinnering voor het verslag");
        PositiveDuration(errors, "policy.minutesEscalation", policy.MinutesEscalation, "de escalatie voor het verslag");
        Later(errors, "policy.minutesReminder", policy.MinutesReminder, "de tweede herinnering voor het verslag", policy.MinutesDue, "de eerste (policy.minutesDue)");
        Later(errors, "policy.minutesEscalation", policy.MinutesEscalation, "de escalatie voor het verslag", policy.MinutesReminder, "de tweede herinnering (policy.minutesReminder)");

        PositiveDuration(errors, "policy.actionReminderBeforeDue", policy.ActionReminderBeforeDue, "de herinnering voor een afspraak");
        PositiveDuration(errors, "policy.stallThreshold", policy.StallThreshold, "de tijd zonder nieuws over een afspraak");
        PositiveDuration(errors, "policy.escalateToCoordinatorAfter", policy.EscalateToCoordinatorAfter, "de tijd tot de regisseur wordt gewaarschuwd");
        PositiveDuration(errors, "policy.escalateToContactAfter", policy.EscalateToContactAfter, "de tijd tot de contactpersoon voor escalatie wordt gewaarschuwd");

        if (policy.FollowUpPeriod is { } period)
        {
            PositiveDuration(errors, "policy.followUpPeriod", period, "de periode waarin afspraken gevolgd worden");
        }

        if (policy.ProgressCheckCadence is { } cadence)
        {
            PositiveDuration(errors, "policy.progressCheckCadence", cadence, "de tijd tussen twee voortgangscontroles");
        }

        switch (policy.FollowUpPeriod, policy.ProgressCheckCadence)
        {
            case (not null, null):
                errors.Add("policy.progressCheckCadence",
                    "Vul ook in hoe vaak de voortgang van de afspraken wordt gecontroleerd, bijvoorbeeld P3M (elke 3 maanden). Of laat de periode van opvolgen (policy.followUpPeriod) weg.");
                break;
            case (null, not null):
                errors.Add("policy.followUpPeriod",
                    "Vul ook in hoe lang de afspraken gevolgd worden, bijvoorbeeld P4Y (4 jaar). Of laat de voortgangscontrole (policy.progressCheckCadence) weg.");
                break;
            case ({ } follow, { } check) when check > follow && !errors.HasUnder("policy.followUpPeriod") && !errors.HasUnder("policy.progressCheckCadence"):
                errors.Add("policy.progressCheckCadence",
                    $"De voortgang wordt elke {Duration(check)} gecontroleerd, maar de afspraken worden maar {Duration(follow)} gevolgd. Kies een kortere tijd tussen de controles.");
                break;
        }

        if (policy.FollowUpWindow < TimeSpan.Zero || policy.FollowUpWindow > MaxFollowUpWindow)
        {
            errors.Add("policy.followUpWindow",
                $"De tijd na het laatste verslag moet tussen 0 dagen (P0D) en 1 jaar (P365D) liggen. Nu staat er {IsoDuration.Format(policy.FollowUpWindow)}. "
                + "In die tijd kan er nog een nieuwe versie van het verslag of een afspraak bij. Gebruik bijvoorbeeld P14D (2 weken).");
        }

        PositiveDuration(errors, "policy.retention", policy.Retention, "de bewaartermijn");
        if (policy.Retention > TimeSpan.Zero && policy.Retention < MinRetention)
        {
            errors.Add("policy.retention",
                $"De bewaartermijn is te kort: {Duration(policy.Retention)}. Bewaar de gegevens minstens {Duration(MinRetention)} ({IsoDuration.Format(MinRetention)}), zodat het verslag nog verstuurd kan worden.");
        }
    }

    /// <summary>Two steps counted from the same moment: the later one must come after the earlier one.</summary>
    private static void Later(ValidationErrors errors, string key, TimeSpan later, string laterWhat, TimeSpan earlier, string earlierWhat)
    {
        if (later > TimeSpan.Zero && earlier > TimeSpan.Zero && later <= earlier && !errors.Has(key))
        {
            errors.Add(key, $"{Capital(laterWhat)} ({Duration(later)} na de bijeenkomst) moet later komen dan {earlierWhat}, die na {Duration(earlier)} komt.");
        }
    }

    private static List<string> GroupNames(IReadOnlyList<StakeholderGroup> groups) =>
        [.. groups.Where(g => !string.IsNullOrWhiteSpace(g?.Name)).Select(g => g.Name.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => time.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => time,
    };

    /// <summary><c>tenant id/object id</c>: two GUIDs, as Entra ID's <c>tid</c> and <c>oid</c> claims give them.</summary>
    internal static bool IsEntraAccount(string account) =>
        account.Split('/') is [var tenant, var objectId] && Guid.TryParseExact(tenant, "D", out _) && Guid.TryParseExact(objectId, "D", out _);
}
