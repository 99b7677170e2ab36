using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Processes;

/// <summary>The smaller validators for a running process: people added, a session moved.</summary>
public sealed class ChangeValidatorTests
{
    [Fact]
    public void ValidateAddedParticipants_NewPeople_AreValid() =>
        AssertValid(ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [new("Eva Smit", "eva@example.org", "Inwoners")]));

    [Fact]
    public void ValidateAddedParticipants_AlreadyInvited_NamesExistingRow() =>
        AssertError(
            ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [new("Eva Smit", "eva@example.org", "inwoners"), new("B. de Vries", "Bram@Example.org", "inwoners")]),
            "participants[1].email", "al uitgenodigd", "deelnemer 2 (Bram de Vries)");

    [Fact]
    public void ValidateAddedParticipants_TwiceInAddedList_NamesOtherRow() =>
        AssertError(
            ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [new("Eva Smit", "eva@example.org", "inwoners"), new("Eva", "eva@example.org", "inwoners")]),
            "participants[1].email", "staat ook bij deelnemer 1 (Eva Smit)");

    [Fact]
    public void ValidateAddedParticipants_UnknownGroup_ListsKnownGroups() =>
        AssertError(
            ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [new("Eva Smit", "eva@example.org", "ondernemers")]),
            "participants[0].group", "geen groep 'ondernemers'", "inwoners en gemeente");

    [Fact]
    public void ValidateAddedParticipants_BeyondFiveHundredInTotal_SaysHowManyStillFit() =>
        AssertError(
            ProcessDefinitionValidator.ValidateAddedParticipants(Valid() with { Participants = [.. People(498)] }, [.. People(3).Select((p, i) => p with { Email = $"nieuw{i}@example.org" })]),
            "participants", "hoogstens 500", "al 498", "nog 2 toevoegen");

    [Fact]
    public void ValidateAddedParticipants_Nothing_AsksForOne() =>
        AssertError(ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), []), "participants", "minstens één deelnemer");

    [Fact]
    public void ValidateAddedParticipants_InvalidEmailAndLanguage_UseTheSameRules()
    {
        var errors = ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [new("Eva Smit", "eva(at)example.org", "inwoners", "de")]);

        AssertError(errors, "participants[0].email", "geen geldig e-mailadres");
        AssertError(errors, "participants[0].language", "nl (Nederlands), en (Engels) of ar (Arabisch)");
    }

    [Fact]
    public void ValidateReschedule_LaterTime_IsValid() =>
        AssertValid(ProcessDefinitionValidator.ValidateReschedule(Valid(), "s1", new DateTime(2026, 4, 8, 19, 30, 0), new DateTime(2026, 4, 8, 21, 0, 0), Now));

    [Fact]
    public void ValidateReschedule_UnknownSession_ListsSessions() =>
        AssertError(
            ProcessDefinitionValidator.ValidateReschedule(Valid(), "s9", new DateTime(2026, 4, 8, 19, 30, 0), new DateTime(2026, 4, 8, 21, 0, 0), Now),
            "sessionId", "geen bijeenkomst met id 's9'", "s1 (Dialoog over jongeren)");

    [Fact]
    public void ValidateReschedule_InThePast_UsesTheSessionRule() =>
        AssertError(
            ProcessDefinitionValidator.ValidateReschedule(Valid(), "s1", new DateTime(2026, 3, 1, 19, 30, 0), new DateTime(2026, 3, 1, 21, 0, 0), Now),
            "start", "in het verleden", "1 maart 2026 om 19:30");

    [Fact]
    public void ValidateReschedule_EndBeforeStart_IsReportedOnEnd() =>
        AssertError(
            ProcessDefinitionValidator.ValidateReschedule(Valid(), "s1", new DateTime(2026, 4, 8, 19, 30, 0), new DateTime(2026, 4, 8, 18, 0, 0), Now),
            "end", "niet na het begin");

    [Fact]
    public void ValidateReschedule_LongerThanADay_IsReportedOnEnd() =>
        AssertError(
            ProcessDefinitionValidator.ValidateReschedule(Valid(), "s1", new DateTime(2026, 4, 8, 9, 0, 0), new DateTime(2026, 4, 9, 10, 0, 0), Now),
            "end", "hoogstens 24 uur");
}
