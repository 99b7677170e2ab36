using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Processes;

/// <summary>Participants without e-mail (issue 17, item 4): reached by phone or postal address, checked in Dutch.</summary>
public sealed class ParticipantReachValidatorTests
{
    private static IReadOnlyDictionary<string, string[]> Validate(ProcessDefinition definition) =>
        ProcessDefinitionValidator.Validate(ProcessDefinitionNormalizer.Normalize(definition), Now);

    private static ProcessDefinition With(params ParticipantDefinition[] extra) => Valid() with { Participants = [.. Valid().Participants, .. extra] };

    [Theory]
    [InlineData("06-12345678", "+31612345678")]
    [InlineData("0612345678", "+31612345678")]
    [InlineData("020 123 4567", "+31201234567")]
    [InlineData("(020) 1234567", "+31201234567")]
    [InlineData("+31 6 12345678", "+31612345678")]
    [InlineData("+31 (0)6 12345678", "+31612345678")]
    [InlineData("0031 6 1234 5678", "+31612345678")]
    [InlineData("+32 470 12 34 56", "+32470123456")]
    public void PhoneNumbers_AsDutchPeopleWriteThem_BecomeOneInternationalForm(string typed, string international)
    {
        Assert.Equal(international, PhoneNumbers.ToInternational(typed));
        Assert.Equal("tel:" + international, PhoneNumbers.TelLink(typed));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("06-1234567")]
    [InlineData("06-123456789")]
    [InlineData("+31 06 12345678")]
    [InlineData("0012")]
    [InlineData("bel mij maar")]
    [InlineData("06-12345678 (na 18 uur)")]
    [InlineData("06\u202E12345678")]
    public void PhoneNumbers_ThatCannotBeCalled_AreNone(string typed) => Assert.Null(PhoneNumbers.ToInternational(typed));

    [Fact]
    public void Validate_PhoneInsteadOfEmail_IsValid() =>
        AssertValid(Validate(With(new ParticipantDefinition("Henk Bellen", null!, "inwoners", Phone: "06-12345678"))));

    [Fact]
    public void Validate_PostalAddressInsteadOfEmail_IsValid() =>
        AssertValid(Validate(With(new ParticipantDefinition("Truus Post", "", "inwoners", Address: "Kerkstraat 1, 1234 AB Voorbeeld"))));

    [Fact]
    public void Validate_EmailAndPhone_IsValid() =>
        AssertValid(Validate(With(new ParticipantDefinition("Eva Smit", "eva@example.org", "inwoners", Phone: "+31 6 87654321"))));

    [Fact]
    public void Validate_NoWayToReachSomeone_AsksForEmailOrPhoneOrAddress() =>
        AssertError(Validate(With(new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: " ", Address: ""))),
            "participants[3].email", "Vul het e-mailadres van deze deelnemer in", "telefoonnummer of een postadres", "bellijst");

    [Theory]
    [InlineData("12345")]
    [InlineData("06-1234567")]
    [InlineData("bel mij maar")]
    public void Validate_PhoneThatCannotBeCalled_QuotesItAndShowsDutchFormats(string phone) =>
        AssertError(Validate(With(new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: phone))),
            "participants[3].phone", $"'{phone}' is geen telefoonnummer", "06-12345678", "020 123 4567", "+31 6 12345678");

    [Fact]
    public void Validate_PhoneTooLong_SaysLimit() =>
        AssertError(Validate(With(new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: new string('6', 31)))), "participants[3].phone", "hoogstens 30");

    [Fact]
    public void Validate_SamePhoneTwice_WrittenDifferently_NamesTheOtherRow()
    {
        var errors = Validate(With(
            new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: "06-12345678"),
            new ParticipantDefinition("H. Bellen", "", "inwoners", Phone: "+31 6 1234 5678")));

        AssertError(errors, "participants[4].phone", "Dit telefoonnummer staat ook bij deelnemer 4 (Henk Bellen)", "haal een van de twee weg");
        Assert.False(errors.ContainsKey("participants[3].phone"));
    }

    [Fact]
    public void Validate_PostalAddressWithLineBreakOrTooLong_IsRefused()
    {
        AssertError(Validate(With(new ParticipantDefinition("Truus Post", "", "inwoners", Address: "Kerkstraat 1\n1234 AB Voorbeeld"))), "participants[3].address", "onzichtbaar teken");
        AssertError(Validate(With(new ParticipantDefinition("Truus Post", "", "inwoners", Address: new string('a', 201)))), "participants[3].address", "hoogstens 200");
    }

    [Fact]
    public void ValidateAddedParticipants_PhoneAlreadyInvited_NamesExistingRow()
    {
        var existing = With(new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: "06-12345678"));

        AssertError(
            ProcessDefinitionValidator.ValidateAddedParticipants(existing, [new("Henk", "", "inwoners", Phone: "0612345678")]),
            "participants[0].phone", "al uitgenodigd", "deelnemer 4 (Henk Bellen)");
    }

    [Fact]
    public void ValidateAddedParticipants_NoWayToReach_AndTwoWithoutEmail_AreNoDuplicates()
    {
        AssertError(ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [new("Eva Smit", "", "inwoners")]), "participants[0].email", "telefoonnummer of een postadres");
        AssertValid(ProcessDefinitionValidator.ValidateAddedParticipants(Valid(), [
            new("Henk Bellen", "", "inwoners", Phone: "06-12345678"),
            new("Truus Post", "", "inwoners", Address: "Kerkstraat 1, Voorbeeld"),
        ]));
    }

    [Fact]
    public void DefinitionJson_ParticipantWithoutEmailField_ReadsWithPhoneAndIsValid()
    {
        const string json = """
            {"topic":"Samen zorgen voor jongeren in de wijk","area":"Gemeente Voorbeeld, wijk Noord",
             "coordinator":{"name":"Sanne Regisseur","email":"sanne@gemeente.example"},
             "escalationContact":{"name":"Karim Teamleider","email":"karim@gemeente.example"},
             "groups":[{"name":"inwoners","minimum":1}],
             "participants":[{"name":"Henk Bellen","group":"inwoners","phone":"06-12345678","address":"Kerkstraat 1"}],
             "sessions":[{"title":"Dialoog","start":"2026-04-01T19:30:00","end":"2026-04-01T21:30:00","location":"Buurthuis"}]}
            """;

        var definition = ProcessDefinitionNormalizer.Normalize(System.Text.Json.JsonSerializer.Deserialize<ProcessDefinition>(json, DefinitionJson.Options)!);

        AssertValid(ProcessDefinitionValidator.Validate(definition, Now));
        var henk = Assert.Single(definition.Participants);
        Assert.Equal(("", "06-12345678", "Kerkstraat 1"), (henk.Email, henk.Phone, henk.Address));
    }
}
