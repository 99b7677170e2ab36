using System.Text.Json.Nodes;
using Dialoog.Core.Links;
using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Processes;

/// <summary>The open sign-up section of a definition and the checks on one sign-up (issue 17, items 1 and 2).</summary>
public sealed class SignUpDefinitionTests
{
    private static readonly ProcessTemplates Templates = ProcessTemplates.Load();

    private static ProcessDefinition Open(params SignUpQuestion[] questions) =>
        Valid() with { SignUp = new SignUpSettings(["inwoners"], questions.Length == 0 ? [SignUpRules.NeedsQuestion] : questions) };

    private static IReadOnlyDictionary<string, string[]> Validate(ProcessDefinition definition) =>
        ProcessDefinitionValidator.Validate(ProcessDefinitionNormalizer.Normalize(definition), Now);

    [Fact]
    public void Definition_WithSignUp_IsValid_AndGroupIsWrittenAsTheGroupItself()
    {
        var definition = ProcessDefinitionNormalizer.Normalize(Valid() with { SignUp = new SignUpSettings([" INWONERS "], [SignUpRules.NeedsQuestion]) });

        AssertValid(ProcessDefinitionValidator.Validate(definition, Now));
        Assert.Equal(["inwoners"], definition.SignUp!.Groups);
    }

    [Fact]
    public void Definition_WithoutSignUp_IsClosed() => Assert.Null(Valid().SignUp);

    [Fact]
    public void Validator_BadSignUpSection_GivesDutchErrorsPerField()
    {
        AssertError(Validate(Valid() with { SignUp = new SignUpSettings([]) }), "signUp.groups", "minstens één groep");
        AssertError(Validate(Valid() with { SignUp = new SignUpSettings(["buren"]) }), "signUp.groups[0]", "'buren' bestaat niet", "inwoners en gemeente");
        AssertError(Validate(Valid() with { SignUp = new SignUpSettings(["inwoners", "Inwoners"]) }), "signUp.groups[1]", "twee keer");

        var errors = Validate(Open(
            new SignUpQuestion("nodig", "Heeft u iets nodig?", ["vervoer", "Vervoer"]),
            new SignUpQuestion("nodig", "", null, FreeText: false),
            new SignUpQuestion("met spatie", "Wat wilt u bespreken?")));
        AssertError(errors, "signUp.questions[0].choices[1]", "'Vervoer' staat er twee keer");
        AssertError(errors, "signUp.questions[1].id", "'nodig' staat al");
        AssertError(errors, "signUp.questions[1].text", "Vul de vraag in");
        AssertError(errors, "signUp.questions[1]", "geen keuzes en geen vrij tekstveld");
        AssertError(errors, "signUp.questions[2].id", "letters, cijfers en '-'");
    }

    [Fact]
    public void DefinitionJson_KeepsSignUp_AndTemplatesWithResidentsOpenItByDefault()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Open(), DefinitionJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<ProcessDefinition>(json, DefinitionJson.Options)!;
        Assert.Equal(["inwoners"], back.SignUp!.Groups);
        Assert.Equal(SignUpRules.NeedsQuestion.Choices, back.SignUp.Questions![0].Choices);

        var draft = Templates.GetDraft("bewonersdialoog-bouwplan")!;
        var (definition, errors) = Templates.Resolve("bewonersdialoog-bouwplan", ProcessTemplatesTests.SampleOverrides(draft), Now);
        AssertValid(errors);
        Assert.Equal(["omwonenden", "inwoners"], definition!.SignUp!.Groups);
        Assert.Equal("Heeft u iets nodig om mee te kunnen doen?", Assert.Single(definition.SignUp.Questions!).Text);

        // A merge patch with "signUp": null closes it again; the integral team (professionals only) is closed.
        var overrides = ProcessTemplatesTests.SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["signUp"] = null;
        Assert.Null(Templates.Resolve("enkele-dialoog", overrides, Now).Definition!.SignUp);
        Assert.Null(Templates.Resolve("integraal-wijkteam", ProcessTemplatesTests.SampleOverrides(Templates.GetDraft("integraal-wijkteam")!), Now).Definition!.SignUp);
        Assert.NotNull(Templates.Resolve("tienpuntenplan", ProcessTemplatesTests.SampleOverrides(Templates.GetDraft("tienpuntenplan")!), Now).Definition!.SignUp);
    }

    public static TheoryData<ParticipantDefinition, string, string> Refusals => new()
    {
        { new("Anna Nieuw", "anna.nieuw@example.org", "gemeente"), "group", "Voor de groep 'gemeente' kunt u zich hier niet aanmelden" },
        { new("Anna Nieuw", "", "inwoners"), "email", "Vul uw e-mailadres of uw telefoonnummer in" },
        { new("Anna Nieuw", "", "inwoners", Phone: "12345"), "phone", "geen telefoonnummer" },
        { new("", "anna.nieuw@example.org", "inwoners"), "name", "Vul uw naam in" },
        { new("Anna Nieuw", "anna@example.org", "inwoners"), "email", "" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void SignUp_BadPerson_IsRefusedWithADutchMessageUnderTheField(ParticipantDefinition person, string key, string fragment)
    {
        var message = AssertError(SignUpRules.Validate(Open(), person, null), key, fragment);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public void SignUp_BadAnswers_AreRefused_GoodOnesAreTidied()
    {
        var person = new ParticipantDefinition("Anna Nieuw", "", "inwoners", Phone: "06-12345678");
        var definition = Open();

        AssertValid(SignUpRules.Validate(definition, person, [new SignUpAnswer("nodig", ["vervoer"], "Ik kom met de rolstoel")]));
        AssertError(SignUpRules.Validate(definition, person, [new SignUpAnswer("nodig", ["helikopter"])]), "answers.nodig", "'helikopter' is geen keuze");
        AssertError(SignUpRules.Validate(definition, person, [new SignUpAnswer("nodig", [], new string('x', DefinitionLimits.SignUpAnswerLength + 1))]), "answers.nodig", "te lang");
        AssertError(SignUpRules.Validate(definition, person, [new SignUpAnswer("anders", ["vervoer"])]), "answers", "niet gesteld");

        var tidy = SignUpRules.Tidy(definition.SignUp!.Questions!, [new SignUpAnswer("NODIG", ["Vervoer"], "  "), new SignUpAnswer("nodig", [])]);
        Assert.Equal(["vervoer"], Assert.Single(tidy).Choices);
        Assert.Null(tidy[0].Text);
        Assert.Empty(SignUpRules.Tidy(definition.SignUp.Questions!, [new SignUpAnswer("nodig", [], " ")]));
    }

    [Fact]
    public void SignUpLinks_PathUrlAndDisplay()
    {
        Assert.Equal("/meedoen/dlg-0123456789abcdef", SignUpLinks.PathFor("dlg-0123456789abcdef"));
        Assert.Equal("https://dialoog.example/meedoen/dlg-1", SignUpLinks.UrlFor("https://dialoog.example/", "dlg-1"));
        Assert.Equal("dialoog.example/meedoen/dlg-1", SignUpLinks.ForDisplay("https://dialoog.example/meedoen/dlg-1"));
        Assert.Equal("http://localhost:5000/meedoen/dlg-1", SignUpLinks.ForDisplay("http://localhost:5000/meedoen/dlg-1"));
    }
}
