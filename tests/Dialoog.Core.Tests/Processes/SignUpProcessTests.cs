using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// Open sign-up in the orchestrator (issue 17, items 1 and 2), in virtual time: a <see cref="SignUpSignal"/> adds the
/// person without an invitation and counts their yes like a reply (capacity and waitlist too). With an address they
/// get one "U bent aangemeld" e-mail with reply links; with only a phone number no e-mail, and the call list asks the
/// coordinator to confirm.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class SignUpProcessTests(DevStackFixture stack) : IAsyncLifetime
{
    private static readonly IReadOnlyList<SignUpAnswer> NeedsTransport = [new("nodig", ["vervoer"], "Ik gebruik een rolstoel")];

    private ProcessTestHost host = null!;

    public Task InitializeAsync()
    {
        host = new ProcessTestHost(stack);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private ProcessDefinition Open(int? capacity = null) =>
        Definitions.Basic(host.Now, residents: 1, capacity: capacity) with { SignUp = new SignUpSettings(["inwoners"], [SignUpRules.NeedsQuestion]) };

    [Fact]
    public async Task WithEmail_JoinsWithoutInvitation_CountsAsYes_GetsOneSignedUpMailWithReplyLinks_AnswersKept()
    {
        var id = await host.StartAsync(Open());
        var invitations = host.Mail.OfKind(MailKind.Invitation).Count;

        await host.SignalAsync(id, new SignUpSignal(new ParticipantDefinition("Sara Nieuw", "sara@example.org", "inwoners"), NeedsTransport, host.Now));
        await host.SignalAsync(id, new SignUpSignal(new ParticipantDefinition("Sara Nieuw", "SARA@example.org", "inwoners"), NeedsTransport, host.Now));

        Assert.Equal(invitations, host.Mail.OfKind(MailKind.Invitation).Count);
        var mail = Assert.Single(host.Mail.To("sara@example.org"));
        Assert.Equal(MailKind.SignedUp.ToString(), mail.Tags["kind"]);
        Assert.StartsWith("U bent aangemeld: ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("/l/", mail.Html, StringComparison.Ordinal);

        var status = await host.StatusAsync(id);
        Assert.Equal(1, status.Groups.Single(g => g.Name == "inwoners").Yes);
        Assert.Contains(status.Timeline, t => t.Text == "Sara Nieuw (inwoners) heeft zich aangemeld via het formulier: ja.");
        var sara = Assert.Single(await host.Directory.ListAsync(id, CancellationToken.None), p => p.Email == "sara@example.org");
        Assert.True(sara.SignedUp);
        Assert.Equal(Answers.Yes, sara.Answer);
        Assert.Equal(NeedsTransport, sara.SignUpAnswers, new AnswerComparer());
        Assert.Empty(CallList.From(status, [sara], host.Now));
        Assert.Equal(0, host.Mail.Repeats);
    }

    [Fact]
    public async Task PhoneOnly_CountsAtOnce_OnTheCallListToConfirm_NoEmail()
    {
        var id = await host.StartAsync(Open());
        var before = host.Mail.Sent.Count;

        await host.SignalAsync(id, new SignUpSignal(new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: "06-12345678"), null, host.Now));

        Assert.Equal(before, host.Mail.Sent.Count);
        var status = await host.StatusAsync(id);
        Assert.Equal(1, status.Groups.Single(g => g.Name == "inwoners").Yes);
        var entry = Assert.Single(CallList.From(status, await host.Directory.ListAsync(id, CancellationToken.None), host.Now));
        Assert.Equal(("Henk Bellen", CallReasons.ConfirmSignUp, "tel:+31612345678"), (entry.Name, entry.Reason, entry.TelLink));
        Assert.Equal("Aangemeld via het formulier — even bellen om te bevestigen", CallReasons.Dutch(entry.Reason));
        Assert.Contains(status.Timeline, t => t.Text.Contains("Henk Bellen (inwoners) heeft zich aangemeld via het formulier, zonder e-mailadres", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FullSession_SignUpGoesOnTheWaitlist_LikeAReply()
    {
        var id = await host.StartAsync(Open(capacity: 1));
        await host.ReplyAsync(id, "p1", Answers.Yes);

        await host.SignalAsync(id, new SignUpSignal(new ParticipantDefinition("Sara Nieuw", "sara@example.org", "inwoners"), null, host.Now));

        Assert.Equal(MailKind.Waitlisted.ToString(), Assert.Single(host.Mail.To("sara@example.org")).Tags["kind"]);
        var sara = Assert.Single(await host.Directory.ListAsync(id, CancellationToken.None), p => p.Email == "sara@example.org");
        Assert.True(sara.Waitlisted);
    }

    private sealed class AnswerComparer : IEqualityComparer<SignUpAnswer>
    {
        public bool Equals(SignUpAnswer? x, SignUpAnswer? y) =>
            x is not null && y is not null && x.QuestionId == y.QuestionId && x.Text == y.Text && x.Choices.SequenceEqual(y.Choices);

        public int GetHashCode(SignUpAnswer obj) => obj.QuestionId.GetHashCode(StringComparison.Ordinal);
    }
}
