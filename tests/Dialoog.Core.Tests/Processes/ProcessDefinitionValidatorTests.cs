using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Processes;

public sealed class ProcessDefinitionValidatorTests
{
    private static IReadOnlyDictionary<string, string[]> Validate(ProcessDefinition definition) =>
        ProcessDefinitionValidator.Validate(definition, Now);

    [Theory]
    [InlineData("2027-03-28T02:30:00", "Deze tijd bestaat niet", "28 maart 2027", "van 02:00 meteen naar 03:00")]
    [InlineData("2027-10-31T02:30:00", "Deze tijd bestaat twee keer", "31 oktober 2027", "02:30+02:00")]
    public void Validate_SessionInTheHourTheClocksChange_IsRefusedWithADutchFieldError(string start, string says, string night, string hint)
    {
        var at = DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture);

        AssertError(Validate(Valid() with { Sessions = [Session("s1", at, hours: 2)] }), "sessions[0].start", says, night, hint);
    }

    [Fact]
    public void Validate_SessionWithAnOffset_InTheRepeatedHour_IsOneMomentAndValid()
    {
        var secondTime = DateTimeOffset.Parse("2027-10-31T02:30:00+01:00", System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;

        AssertValid(Validate(Valid() with { Sessions = [Session("s1", secondTime, hours: 2)] }));
    }

    [Fact]
    public void Validate_SampleDefinition_IsValid() => AssertValid(Validate(Valid()));

    // Topic, area, description.

    [Fact]
    public void Validate_TopicMissing_AsksForTopic() =>
        AssertError(Validate(Valid() with { Topic = "  " }), "topic", "Vul het onderwerp");

    [Fact]
    public void Validate_TopicTooLong_SaysLengthAndLimit() =>
        AssertError(Validate(Valid() with { Topic = new string('a', 201) }), "topic", "201 tekens", "hoogstens 200");

    [Fact]
    public void Validate_TopicWithLineBreak_AsksForOneLine() =>
        AssertError(Validate(Valid() with { Topic = "Jongeren\nin de wijk" }), "topic", "onzichtbaar teken");

    [Fact]
    public void Validate_AreaMissing_GivesExample() =>
        AssertError(Validate(Valid() with { Area = "" }), "area", "Vul de gemeente en het gebied in", "bijvoorbeeld");

    [Fact]
    public void Validate_AreaTooLong_SaysLimit() =>
        AssertError(Validate(Valid() with { Area = new string('w', 201) }), "area", "hoogstens 200");

    [Fact]
    public void Validate_DescriptionTooLong_SaysLimit() =>
        AssertError(Validate(Valid() with { Description = new string('x', 4001) }), "description", "4001 tekens", "hoogstens 4000");

    [Fact]
    public void Validate_DescriptionWithLineBreaks_IsValid() =>
        AssertValid(Validate(Valid() with { Description = "Eerste alinea.\r\n\r\nTweede alinea." }));

    // Coordinator and escalation contact.

    [Fact]
    public void Validate_CoordinatorNameMissing_NamesTheRole() =>
        AssertError(Validate(Valid() with { Coordinator = new("", "sanne@gemeente.example") }), "coordinator.name", "Vul de naam van de regisseur in");

    [Fact]
    public void Validate_CoordinatorMissing_AsksForNameAndEmail() =>
        AssertError(Validate(Valid() with { Coordinator = null! }), "coordinator", "naam en e-mailadres");

    [Theory]
    [InlineData("sanne")]
    [InlineData("sanne@gemeente")]
    [InlineData("Sanne <sanne@gemeente.example>")]
    [InlineData("\"Sanne\" sanne@gemeente.example")]
    [InlineData("sanne @gemeente.example")]
    [InlineData("sanne@gemeente..example")]
    [InlineData("sanne@-gemeente.example")]
    [InlineData("sanne@gemeente.example.")]
    [InlineData("sanne@[127.0.0.1]")]
    [InlineData("sanne@127.0.0.1")]
    [InlineData("sanne@@gemeente.example")]
    [InlineData("sanne@gemeente.example, piet@gemeente.example")]
    public void Validate_CoordinatorEmailNotStrict_IsRejected(string email) =>
        AssertError(Validate(Valid() with { Coordinator = new("Sanne", email) }), "coordinator.email", "geen geldig e-mailadres", "naam@organisatie.nl");

    [Fact]
    public void Validate_EmailLongerThan254_SaysLimit()
    {
        var email = new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".nl";
        AssertError(Validate(Valid() with { Coordinator = new("Sanne", email) }), "coordinator.email", "hoogstens 254 tekens");
    }

    [Theory]
    [InlineData("sanne@gemeente.example")]
    [InlineData("s.de.vries+dialoog@sub.gemeente.nl")]
    [InlineData("o'brien@example.org")]
    [InlineData("jürgen@münchen.de")]
    [InlineData("info@xn--mnchen-3ya.de")]
    public void Validate_PlainEmail_IsAccepted(string email) =>
        AssertValid(Validate(Valid() with { Coordinator = new("Sanne", email) }));

    [Theory]
    [InlineData("06-12345678")]
    [InlineData("06 - 12345678")]
    [InlineData("0612345678")]
    [InlineData("020 123 4567")]
    [InlineData("(020) 123 45 67")]
    [InlineData("+31 6 12345678")]
    [InlineData("+31 (0)20 123 4567")]
    [InlineData("0031 6 1234 5678")]
    [InlineData("14 020")]
    [InlineData("14 0570")]
    [InlineData("0800-1234")]
    [InlineData("+32 2 123 45 67")]
    public void Validate_CoordinatorPhoneAsWrittenInTheNetherlands_IsAccepted(string phone) =>
        AssertValid(Validate(Valid() with { Coordinator = new("Sanne", "sanne@gemeente.example", phone) }));

    [Theory]
    [InlineData("bel het stadhuis")]
    [InlineData("06-1234567")]
    [InlineData("06-123456789")]
    [InlineData("+31 6 1234")]
    [InlineData("06--12345678")]
    [InlineData("+31+612345678")]
    [InlineData("06-12345678 of 06-87654321")]
    [InlineData("06-1234567x")]
    [InlineData("\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668")]
    public void Validate_CoordinatorPhoneWrong_IsRefusedWithDutchExamples(string phone) =>
        AssertError(Validate(Valid() with { Coordinator = new("Sanne", "sanne@gemeente.example", phone) }),
            "coordinator.phone", "geen geldig telefoonnummer", "06-12345678", "020 123 4567", "+31 6 12345678");

    [Fact]
    public void Validate_CoordinatorPhoneTooLong_SaysLimit() =>
        AssertError(Validate(Valid() with { Coordinator = new("Sanne", "sanne@gemeente.example", "06 12 34 56 78 06 12 34 56 78 0") }),
            "coordinator.phone", "te lang", "31 tekens", "hoogstens 30");

    [Fact]
    public void Validate_EscalationContactEmailMissing_NamesTheRole() =>
        AssertError(Validate(Valid() with { EscalationContact = new("Karim", "") }), "escalationContact.email", "Vul het e-mailadres van de contactpersoon voor escalatie in");

    [Fact]
    public void Validate_EscalationContactIsCoordinator_AsksForSomeoneElse() =>
        AssertError(Validate(Valid() with { EscalationContact = new("Sanne", "SANNE@gemeente.example") }), "escalationContact.email", "moet iemand anders zijn dan de regisseur");

    // Groups.

    [Fact]
    public void Validate_NoGroups_AsksForOne() =>
        AssertError(Validate(Valid() with { Groups = [] }), "groups", "minstens één groep");

    [Fact]
    public void Validate_TooManyGroups_SaysLimit() =>
        AssertError(
            Validate(Valid() with { Groups = [.. Enumerable.Range(1, 21).Select(i => new StakeholderGroup($"groep {i}", 0))] }),
            "groups", "21 groepen", "hoogstens 20");

    [Fact]
    public void Validate_GroupNameMissing_AsksForName() =>
        AssertError(Validate(Valid() with { Groups = [.. Valid().Groups, new StakeholderGroup("", 0)] }), "groups[2].name", "Vul de naam van de groep in");

    [Fact]
    public void Validate_DuplicateGroupName_IgnoresCaseAndNamesFirstRow() =>
        AssertError(Validate(Valid() with { Groups = [.. Valid().Groups, new StakeholderGroup("Inwoners", 0)] }), "groups[2].name", "'Inwoners'", "staat er al (groep 1)");

    [Theory]
    [InlineData(-1)]
    [InlineData(501)]
    public void Validate_GroupMinimumOutOfRange_SaysAllowedRange(int minimum) =>
        AssertError(Validate(Valid() with { Groups = [new("inwoners", 2), new("gemeente", minimum)] }), "groups[1].minimum", "0 tot en met 500", $"(nu: {minimum})");

    [Fact]
    public void Validate_GroupMinimumZero_IsValid() =>
        AssertValid(Validate(Valid() with { Groups = [.. Valid().Groups, new StakeholderGroup("ondernemers", 0)] }));

    [Fact]
    public void Validate_FewerInvitedThanMinimum_SaysHowManyAreNeededAndInvited() =>
        AssertError(Validate(Valid() with { Groups = [new("inwoners", 3), new("gemeente", 1)] }), "groups[0].minimum", "inwoners: minimaal 3 nodig, maar er zijn er 2 uitgenodigd");

    [Fact]
    public void Validate_OneInvitedOfTwoNeeded_UsesSingular() =>
        AssertError(Validate(Valid() with { Groups = [new("inwoners", 2), new("gemeente", 2)] }), "groups[1].minimum", "gemeente: minimaal 2 nodig, maar er is er 1 uitgenodigd");

    [Fact]
    public void Validate_NobodyInvitedForGroup_SaysNobody() =>
        AssertError(Validate(Valid() with { Groups = [.. Valid().Groups, new StakeholderGroup("ondernemers", 1)] }), "groups[2].minimum", "ondernemers: minimaal 1 nodig, maar er is nog niemand uitgenodigd");

    [Fact]
    public void Validate_GroupManagerEmailInvalid_IsReported() =>
        AssertError(
            Validate(Valid() with { Groups = [new("inwoners", 2), new("gemeente", 1, new Person("Teamleider", "teamleider"))] }),
            "groups[1].manager.email", "geen geldig e-mailadres");

    [Fact]
    public void Validate_MandateRequiredWithoutManager_AsksForManager() =>
        AssertError(
            Validate(Valid() with { Groups = [new("inwoners", 2), new("gemeente", 1, MandateRequired: true)] }),
            "groups[1].manager", "mandaat", "leidinggevende");

    [Fact]
    public void Validate_MandateRequiredWithManager_IsValid() =>
        AssertValid(Validate(Valid() with { Groups = [new("inwoners", 2), new("gemeente", 1, new Person("Teamleider", "teamleider@gemeente.example"), MandateRequired: true)] }));

    // Participants.

    [Fact]
    public void Validate_NoParticipants_AsksForOne() =>
        AssertError(Validate(Valid() with { Participants = [], Groups = [new("inwoners", 0)] }), "participants", "minstens één deelnemer");

    [Fact]
    public void Validate_TooManyParticipants_SaysLimit() =>
        AssertError(Validate(Valid() with { Participants = [.. Valid().Participants, .. People(498)] }), "participants", "501 deelnemers", "hoogstens 500");

    [Fact]
    public void Validate_ParticipantNameMissing_AsksForName() =>
        AssertError(Validate(WithParticipant(1, p => p with { Name = " " })), "participants[1].name", "Vul de naam van deze deelnemer in");

    [Fact]
    public void Validate_ParticipantNameTooLong_SaysLimit() =>
        AssertError(Validate(WithParticipant(1, p => p with { Name = new string('n', 101) })), "participants[1].name", "hoogstens 100");

    [Fact]
    public void Validate_ParticipantNameWithControlCharacter_IsRejected() =>
        AssertError(Validate(WithParticipant(0, p => p with { Name = "Anna\tJansen" })), "participants[0].name", "onzichtbaar teken");

    [Fact]
    public void Validate_ParticipantEmailInvalid_QuotesTheValue() =>
        AssertError(Validate(WithParticipant(2, p => p with { Email = "dirk.gemeente.example" })), "participants[2].email", "'dirk.gemeente.example' is geen geldig e-mailadres");

    [Fact]
    public void Validate_DuplicateEmail_NamesBothRows()
    {
        var definition = Valid() with { Participants = [.. Valid().Participants, new("A. Jansen", "ANNA@example.org", "inwoners")] };

        var errors = Validate(definition);

        AssertError(errors, "participants[3].email", "staat ook bij deelnemer 1 (Anna Jansen)");
        Assert.False(errors.ContainsKey("participants[0].email"));
    }

    [Fact]
    public void Validate_UnknownGroup_ListsKnownGroups() =>
        AssertError(Validate(WithParticipant(0, p => p with { Group = "bewoners" })), "participants[0].group", "geen groep 'bewoners'", "inwoners en gemeente");

    [Fact]
    public void Validate_GroupMissing_ListsKnownGroups() =>
        AssertError(Validate(WithParticipant(0, p => p with { Group = "" })), "participants[0].group", "Kies de groep", "inwoners en gemeente");

    [Fact]
    public void Validate_GroupInOtherCase_IsAccepted() =>
        AssertValid(Validate(WithParticipant(0, p => p with { Group = "Inwoners" })));

    [Fact]
    public void Validate_UnknownLanguage_SaysNlEnOrAr() =>
        AssertError(Validate(WithParticipant(0, p => p with { Language = "fr" })), "participants[0].language", "nl (Nederlands), en (Engels) of ar (Arabisch)", "'fr'");

    [Fact]
    public void Validate_EnglishParticipant_IsValid() =>
        AssertValid(Validate(WithParticipant(0, p => p with { Language = Languages.English })));

    [Fact]
    public void Validate_ArabicParticipant_IsValid() =>
        AssertValid(Validate(WithParticipant(0, p => p with { Language = Languages.Arabic })));

    // Sessions.

    [Fact]
    public void Validate_NoSessions_AsksForOne() =>
        AssertError(Validate(Valid() with { Sessions = [] }), "sessions", "minstens één bijeenkomst");

    [Fact]
    public void Validate_TooManySessions_SaysLimit() =>
        AssertError(
            Validate(Valid() with { Sessions = [.. Enumerable.Range(1, 21).Select(i => Session($"s{i}", new DateTime(2026, 4, 1, 19, 0, 0).AddDays(i)))] }),
            "sessions", "21 bijeenkomsten", "hoogstens 20");

    [Theory]
    [InlineData("s 1")]
    [InlineData("-s1")]
    [InlineData("s1-")]
    [InlineData("sessie/1")]
    [InlineData("ééntje")]
    [InlineData("a12345678901234567890123456789012345678901")]
    public void Validate_SessionIdNotSlugLike_SaysWhatIsAllowed(string id) =>
        AssertError(Validate(WithSession(0, s => s with { Id = id })), "sessions[0].id", "letters, cijfers en '-'");

    [Fact]
    public void Validate_SessionIdMissing_SaysItIsAssignedWhenLeftOut() =>
        AssertError(Validate(WithSession(0, s => s with { Id = null })), "sessions[0].id", "geen id", "s1, s2");

    [Fact]
    public void Validate_DuplicateSessionId_NamesFirstSession() =>
        AssertError(
            Validate(Valid() with { Sessions = [.. Valid().Sessions, Session("S1", new DateTime(2026, 4, 8, 19, 30, 0))] }),
            "sessions[1].id", "'S1'", "bijeenkomst 1");

    [Fact]
    public void Validate_SessionTitleMissing_AsksForTitle() =>
        AssertError(Validate(WithSession(0, s => s with { Title = "" })), "sessions[0].title", "Vul de titel");

    [Fact]
    public void Validate_SessionTitleTooLong_SaysLimit() =>
        AssertError(Validate(WithSession(0, s => s with { Title = new string('t', 201) })), "sessions[0].title", "hoogstens 200");

    [Fact]
    public void Validate_SessionInThePast_SaysWhenItStarts() =>
        AssertError(Validate(WithSession(0, _ => Session("s1", new DateTime(2026, 2, 27, 19, 30, 0)))), "sessions[0].start", "in het verleden", "27 februari 2026 om 19:30");

    [Fact]
    public void Validate_SessionStartMissing_AsksForStart() =>
        AssertError(Validate(WithSession(0, s => s with { Start = default })), "sessions[0].start", "Vul de begintijd in");

    [Fact]
    public void Validate_SessionEndMissing_AsksForEnd() =>
        AssertError(Validate(WithSession(0, s => s with { End = default })), "sessions[0].end", "Vul de eindtijd in");

    [Fact]
    public void Validate_SessionEndBeforeStart_SaysBothTimes() =>
        AssertError(
            Validate(WithSession(0, s => s with { End = s.Start.AddMinutes(-30) })),
            "sessions[0].end", "niet na het begin", "1 april 2026 om 19:00", "1 april 2026 om 19:30");

    [Fact]
    public void Validate_SessionLongerThanADay_SaysLengthAndLimit() =>
        AssertError(Validate(WithSession(0, s => s with { End = s.Start.AddHours(26) })), "sessions[0].end", "hoogstens 24 uur", "1 dag en 2 uur");

    [Fact]
    public void Validate_SessionTimesInUtc_AreConvertedFromUtc()
    {
        // 09:30 UTC is 10:30 in Amsterdam: only half an hour after "now" and so in the future, but within the reply deadline.
        var start = Now.AddMinutes(30);
        var errors = Validate(WithSession(0, s => s with { Start = start, End = start.AddHours(1) }));

        Assert.False(errors.ContainsKey("sessions[0].end"));
        AssertError(errors, "sessions[0].start", "2 maart 2026 om 10:30");
    }

    [Fact]
    public void Validate_UnspecifiedStartIsAmsterdamTime_NotUtc()
    {
        // 09:30 wall-clock in Amsterdam is 08:30 UTC, half an hour before "now" (09:00 UTC).
        var errors = Validate(WithSession(0, s => s with { Start = new DateTime(2026, 3, 2, 9, 30, 0), End = new DateTime(2026, 3, 2, 11, 0, 0) }));

        AssertError(errors, "sessions[0].start", "in het verleden");
    }

    [Fact]
    public void Validate_NoLocationAndNoLink_AsksForEither() =>
        AssertError(Validate(WithSession(0, s => s with { Location = " ", OnlineLink = null })), "sessions[0].location", "waar de bijeenkomst is", "online");

    [Fact]
    public void Validate_OnlineLinkOnly_IsValid() =>
        AssertValid(Validate(WithSession(0, s => s with { Location = null, OnlineLink = "https://teams.example/meet/123" })));

    [Theory]
    [InlineData("teams.example/meet/123")]
    [InlineData("ftp://files.example/meet")]
    [InlineData("/meet/123")]
    [InlineData("javascript:alert(1)")]
    public void Validate_OnlineLinkNotHttp_AsksForFullLink(string link) =>
        AssertError(Validate(WithSession(0, s => s with { OnlineLink = link })), "sessions[0].onlineLink", "geen volledige link", "https://");

    [Fact]
    public void Validate_LocationTooLong_SaysLimit() =>
        AssertError(Validate(WithSession(0, s => s with { Location = new string('l', 301) })), "sessions[0].location", "hoogstens 300");

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Validate_CapacityOutOfRange_SaysRangeAndNoLimitOption(int capacity) =>
        AssertError(Validate(WithSession(0, s => s with { Capacity = capacity })), "sessions[0].capacity", "1 tot en met 1000", "geen grens");

    [Fact]
    public void Validate_CapacityBelowSumOfMinimums_SaysBothNumbers() =>
        AssertError(Validate(WithSession(0, s => s with { Capacity = 2 })), "sessions[0].capacity", "minimaal 3 mensen", "maar 2 plaatsen");

    [Fact]
    public void Validate_CapacityEqualToSumOfMinimums_IsValid() =>
        AssertValid(Validate(WithSession(0, s => s with { Capacity = 3 })));

    [Fact]
    public void Validate_FacilitatorInvalid_IsReported() =>
        AssertError(Validate(WithSession(0, s => s with { Facilitator = new Person("", "begeleider@example.org") })), "sessions[0].facilitator.name", "gespreksbegeleider");

    [Fact]
    public void Validate_FirstSessionBeforeReplyDeadline_SaysSoPlainly()
    {
        // The later-listed session is the earliest: 10 March, before the deadline of 16 March (now + 14 days).
        var definition = Valid() with { Sessions = [.. Valid().Sessions, Session("s2", new DateTime(2026, 3, 10, 19, 30, 0))] };

        var errors = Validate(definition);

        AssertError(errors, "sessions[1].start", "De eerste bijeenkomst begint te vroeg", "10 maart 2026 om 19:30", "16 maart 2026 om 10:00", "14 dagen", "reactietermijn");
        Assert.False(errors.ContainsKey("sessions[0].start"));
    }

    [Fact]
    public void Validate_ShorterReplyDeadline_AllowsEarlierSession() =>
        AssertValid(Validate(Valid() with
        {
            Sessions = [Session("s1", new DateTime(2026, 3, 10, 19, 30, 0))],
            Policy = new ProcessPolicy { ReplyDeadline = TimeSpan.FromDays(5) },
        }));

    // Policy.

    [Fact]
    public void Validate_FollowUpWindow_DefaultTwoWeeks_ZeroAllowed()
    {
        Assert.Equal(TimeSpan.FromDays(14), new ProcessPolicy().FollowUpWindow);
        AssertValid(Validate(Valid() with { Policy = new ProcessPolicy { FollowUpWindow = TimeSpan.Zero } }));
    }

    [Theory]
    [InlineData(-1, "-P1D")]
    [InlineData(366, "P366D")]
    public void Validate_FollowUpWindow_NegativeOrOverAYear_SaysTheRange(int days, string shown) =>
        AssertError(Validate(Valid() with { Policy = new ProcessPolicy { FollowUpWindow = TimeSpan.FromDays(days) } }), "policy.followUpWindow",
            "tussen 0 dagen (P0D) en 1 jaar (P365D)", $"Nu staat er {shown}.");

    public static TheoryData<string, Func<ProcessPolicy, TimeSpan, ProcessPolicy>> Durations => new()
    {
        { "policy.replyDeadline", (p, v) => p with { ReplyDeadline = v } },
        { "policy.reminderCadence", (p, v) => p with { ReminderCadence = v } },
        { "policy.sessionReminderBefore", (p, v) => p with { SessionReminderBefore = v } },
        { "policy.decisionTimeout", (p, v) => p with { DecisionTimeout = v } },
        { "policy.escalationContactTimeout", (p, v) => p with { EscalationContactTimeout = v } },
        { "policy.minutesDue", (p, v) => p with { MinutesDue = v } },
        { "policy.minutesReminder", (p, v) => p with { MinutesReminder = v } },
        { "policy.minutesEscalation", (p, v) => p with { MinutesEscalation = v } },
        { "policy.actionReminderBeforeDue", (p, v) => p with { ActionReminderBeforeDue = v } },
        { "policy.stallThreshold", (p, v) => p with { StallThreshold = v } },
        { "policy.escalateToCoordinatorAfter", (p, v) => p with { EscalateToCoordinatorAfter = v } },
        { "policy.escalateToContactAfter", (p, v) => p with { EscalateToContactAfter = v } },
        { "policy.retention", (p, v) => p with { Retention = v } },
        { "policy.followUpPeriod", (p, v) => p with { FollowUpPeriod = v, ProgressCheckCadence = TimeSpan.FromDays(1) } },
        { "policy.progressCheckCadence", (p, v) => p with { FollowUpPeriod = TimeSpan.FromDays(365), ProgressCheckCadence = v } },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Validate_DurationZeroOrNegative_SaysItMustBeLongerThanZero(string key, Func<ProcessPolicy, TimeSpan, ProcessPolicy> set)
    {
        AssertError(Validate(Valid() with { Policy = set(new ProcessPolicy(), TimeSpan.Zero) }), key, "moet langer zijn dan nul", "(nu: PT0S)");
        AssertError(Validate(Valid() with { Policy = set(new ProcessPolicy(), TimeSpan.FromDays(-1)) }), key, "moet langer zijn dan nul", "(nu: -P1D)");
    }

    [Theory]
    [MemberData(nameof(Durations))]
    public void Validate_DurationOverFiveYears_SaysMaximum(string key, Func<ProcessPolicy, TimeSpan, ProcessPolicy> set) =>
        AssertError(Validate(Valid() with { Policy = set(new ProcessPolicy(), TimeSpan.FromDays(5 * 365 + 1)) }), key, "te lang: 1826 dagen", "Het maximum is 5 jaar (P1825D)");

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Validate_MaxRemindersOutOfRange_SaysRange(int count) =>
        AssertError(Validate(Valid() with { Policy = new ProcessPolicy { MaxReminders = count } }), "policy.maxReminders", "0 tot en met 10");

    [Theory]
    [InlineData(DecisionChoices.ExtendDeadline)]
    [InlineData("doorgaan")]
    public void Validate_DefaultDecisionNotGoAheadOrCancel_NamesBoth(string decision) =>
        AssertError(Validate(Valid() with { Policy = new ProcessPolicy { DefaultDecision = decision } }), "policy.defaultDecision", "goAhead (toch doorgaan) of cancel (afzeggen)", $"'{decision}'");

    [Fact]
    public void Validate_DefaultDecisionCancel_IsValid() =>
        AssertValid(Validate(Valid() with { Policy = new ProcessPolicy { DefaultDecision = DecisionChoices.Cancel } }));

    [Fact]
    public void Validate_FollowUpPeriodWithoutCadence_AsksForCadence() =>
        AssertError(Validate(Valid() with { Policy = new ProcessPolicy { FollowUpPeriod = TimeSpan.FromDays(4 * 365) } }), "policy.progressCheckCadence", "hoe vaak", "P3M");

    [Fact]
    public void Validate_CadenceWithoutFollowUpPeriod_AsksForPeriod() =>
        AssertError(Validate(Valid() with { Policy = new ProcessPolicy { ProgressCheckCadence = TimeSpan.FromDays(90) } }), "policy.followUpPeriod", "hoe lang", "P4Y");

    [Fact]
    public void Validate_CadenceLongerThanFollowUpPeriod_SaysBoth() =>
        AssertError(
            Validate(Valid() with { Policy = new ProcessPolicy { FollowUpPeriod = TimeSpan.FromDays(30), ProgressCheckCadence = TimeSpan.FromDays(90) } }),
            "policy.progressCheckCadence", "elke 90 dagen", "30 dagen");

    [Fact]
    public void Validate_FollowUpForACouncilPeriod_IsValid() =>
        AssertValid(Validate(Valid() with { Policy = new ProcessPolicy { FollowUpPeriod = TimeSpan.FromDays(4 * 365), ProgressCheckCadence = TimeSpan.FromDays(90) } }));

    [Fact]
    public void Validate_RetentionShorterThanADay_SaysMinimum() =>
        AssertError(Validate(Valid() with { Policy = new ProcessPolicy { Retention = TimeSpan.FromHours(1) } }), "policy.retention", "te kort: 1 uur", "minstens 1 dag (P1D)");

    [Fact]
    public void Validate_MinutesReminderNotAfterFirst_SaysOrder() =>
        AssertError(
            Validate(Valid() with { Policy = new ProcessPolicy { MinutesDue = TimeSpan.FromDays(3), MinutesReminder = TimeSpan.FromDays(2) } }),
            "policy.minutesReminder", "moet later komen dan de eerste", "3 dagen");

    [Fact]
    public void Validate_MinutesEscalationNotAfterReminder_SaysOrder() =>
        AssertError(
            Validate(Valid() with { Policy = new ProcessPolicy { MinutesEscalation = TimeSpan.FromDays(7) } }),
            "policy.minutesEscalation", "moet later komen dan de tweede herinnering");

    [Fact]
    public void Validate_NullCollectionsFromJson_AreReportedNotThrown()
    {
        var errors = Validate(Valid() with { Groups = null!, Participants = null!, Sessions = null!, Policy = null! });

        Assert.Contains("groups", errors.Keys);
        Assert.Contains("participants", errors.Keys);
        Assert.Contains("sessions", errors.Keys);
    }

    private static ProcessDefinition WithParticipant(int index, Func<ParticipantDefinition, ParticipantDefinition> change) =>
        Valid() with { Participants = [.. Valid().Participants.Select((p, i) => i == index ? change(p) : p)] };

    private static ProcessDefinition WithSession(int index, Func<SessionDefinition, SessionDefinition> change) =>
        Valid() with { Sessions = [.. Valid().Sessions.Select((s, i) => i == index ? change(s) : s)] };
}
