using System.Buffers.Text;
using System.Text;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Testing;

namespace Dialoog.Core.Tests.Web;

/// <summary>Links carry the nonce of the process they were made for; links from before nonces keep their old form.</summary>
public sealed class LinkNonceTests
{
    private static readonly ParticipantLinks Links = LocalLinks.New();

    private static readonly DateTimeOffset Expires = LocalLinks.Expires();

    [Fact]
    public void Token_CarriesTheNonce_AndOnlyThatProcessMatches()
    {
        var nonce = ProcessNonce.New();
        var claims = new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, nonce);

        Assert.Equal(LinkProblem.None, Links.TryRead(Links.CreateToken(claims), LinkPurpose.Reply, out var read));

        Assert.Equal(claims, read);
        Assert.True(ProcessNonce.Matches(read!, nonce));
        Assert.False(ProcessNonce.Matches(read!, ProcessNonce.New()));
        Assert.False(ProcessNonce.Matches(read!, null));
        Assert.NotEqual(nonce, ProcessNonce.New());
    }

    [Fact]
    public void TokenWithoutNonce_KeepsTheOldFormat_AndMatchesOnlyAProcessWithoutOne()
    {
        var claims = new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires);
        var token = Links.CreateToken(claims);

        // Byte for byte what links looked like before nonces, so links already sent read the same.
        Assert.Equal($"1|1|dlg-0123456789abcdef|p1|{Expires.ToUnixTimeSeconds()}", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0])));
        Assert.Equal(LinkProblem.None, Links.TryRead(token, LinkPurpose.Reply, out var read));
        Assert.Null(read!.ProcessNonce);
        Assert.True(ProcessNonce.Matches(read, null));
        Assert.False(ProcessNonce.Matches(read, ProcessNonce.New()));
    }

    [Fact]
    public void Nonce_CannotBeChangedOrDropped_WithoutBreakingTheSignature()
    {
        var token = Links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, "oldnonce"));
        var signature = token.Split('.')[1];
        string Forged(string payload) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + signature;

        Assert.Equal(LinkProblem.BadSignature, Links.TryRead(Forged($"2|1|dlg-0123456789abcdef|p1|{Expires.ToUnixTimeSeconds()}|newnonce"), LinkPurpose.Reply, out _));
        Assert.Equal(LinkProblem.BadSignature, Links.TryRead(Forged($"1|1|dlg-0123456789abcdef|p1|{Expires.ToUnixTimeSeconds()}"), LinkPurpose.Reply, out _));
    }

    [Fact]
    public void Nonce_WithTheSeparator_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, "a|b")));
    }
}
