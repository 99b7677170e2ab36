using Dialoog.Core.Hosting;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Testing;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Tests.Web;

public sealed class LinkKeyRotationTests
{
    private static readonly LinkClaims Claims = new(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", DateTimeOffset.UtcNow.AddDays(1));

    [Fact]
    public void TokenSignedWithAPreviousKey_IsStillAccepted_NewTokensUseTheCurrentKey()
    {
        var oldKey = RunningApp.NewKey();
        var newKey = RunningApp.NewKey();
        var before = Links(oldKey);
        var after = Links(newKey, oldKey);
        var oldToken = before.CreateToken(Claims);

        Assert.Equal(LinkProblem.None, after.TryRead(oldToken, LinkPurpose.Reply, out var read));
        Assert.Equal(Claims.Subject, read!.Subject);

        // New links are signed with the new key only: the old key alone no longer reads them.
        Assert.Equal(LinkProblem.BadSignature, before.TryRead(after.CreateToken(Claims), LinkPurpose.Reply, out _));
    }

    [Fact]
    public void TokenSignedWithAKeyNoLongerListed_IsRefused()
    {
        var retired = Links(RunningApp.NewKey()).CreateToken(Claims);

        Assert.Equal(LinkProblem.BadSignature, Links(RunningApp.NewKey(), RunningApp.NewKey()).TryRead(retired, LinkPurpose.Reply, out _));
    }

    [Fact]
    public void PreviousKey_StillPurposeBound()
    {
        var oldKey = RunningApp.NewKey();
        var token = Links(oldKey).CreateToken(Claims);

        Assert.Equal(LinkProblem.BadSignature, Links(RunningApp.NewKey(), oldKey).TryRead(token, LinkPurpose.Decision, out _));
    }

    private static ParticipantLinks Links(string key, string previous = "") =>
        new(Options.Create(new LinksOptions { SigningKey = key, PreviousSigningKeys = previous }),
            Options.Create(new DialoogOptions { PublicBaseUrl = "http://localhost:7071" }), TimeProvider.System);
}
