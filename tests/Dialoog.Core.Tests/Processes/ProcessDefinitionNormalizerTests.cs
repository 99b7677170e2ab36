using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Processes;

public sealed class ProcessDefinitionNormalizerTests
{
    [Fact]
    public void Normalize_SessionsWithoutId_GetFirstFreeOfS1ToSn()
    {
        var start = new DateTime(2026, 4, 1, 19, 30, 0);
        var definition = Valid() with { Sessions = [Session(null, start), Session("s1", start.AddDays(7)), Session(" ", start.AddDays(14)), Session("doen", start.AddDays(21))] };

        var normalized = ProcessDefinitionNormalizer.Normalize(definition);

        Assert.Equal(["s2", "s1", "s3", "doen"], normalized.Sessions.Select(s => s.Id));
        Assert.Null(definition.Sessions[0].Id);
        AssertValid(ProcessDefinitionValidator.Validate(normalized, Now));
    }

    [Fact]
    public void Normalize_Text_IsTrimmedAndGroupsWrittenAsDefined()
    {
        var definition = Valid() with
        {
            Topic = "  Jongeren  ",
            Coordinator = new(" Sanne ", " sanne@gemeente.example "),
            Participants = [new(" Anna ", " anna@example.org ", " INWONERS ", " NL "), .. Valid().Participants.Skip(1)],
        };

        var normalized = ProcessDefinitionNormalizer.Normalize(definition);

        Assert.Equal("Jongeren", normalized.Topic);
        Assert.Equal(new Person("Sanne", "sanne@gemeente.example"), normalized.Coordinator);
        Assert.Equal(new ParticipantDefinition("Anna", "anna@example.org", "inwoners", "nl"), normalized.Participants[0]);
    }

    [Theory]
    [InlineData(" 06\u00A0-\t12345678 ", "06 - 12345678")]
    [InlineData("020  123  4567", "020 123 4567")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Normalize_Phone_IsTrimmedWithSingleSpaces_AndLeftOutWhenBlank(string? phone, string? expected) =>
        Assert.Equal(expected, ProcessDefinitionNormalizer.Normalize(Valid() with { Coordinator = new("Sanne", "sanne@gemeente.example", phone) }).Coordinator.Phone);

    [Fact]
    public void Normalize_NullsFromJson_BecomeEmptyValues()
    {
        var normalized = ProcessDefinitionNormalizer.Normalize(new ProcessDefinition
        {
            Topic = null!,
            Coordinator = null!,
            Groups = null!,
            Participants = [new("Anna", "anna@example.org", "inwoners", null!)],
            Sessions = null!,
            Policy = null!,
        });

        Assert.Equal("", normalized.Topic);
        Assert.Equal(new Person("", ""), normalized.Coordinator);
        Assert.Empty(normalized.Groups);
        Assert.Empty(normalized.Sessions);
        Assert.Equal(Languages.Dutch, normalized.Participants[0].Language);
        Assert.Equal(new ProcessPolicy(), normalized.Policy);
    }
}
