using System.Buffers.Text;
using System.Text;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Testing;

namespace Dialoog.Core.Tests.Web;

/// <summary>Links carry the language of the pages behind them; links from before that read as they always did.</summary>
public sealed class LinkLanguageTests
{
    private static readonly ParticipantLinks Links = LocalLinks.New();

    private static readonly DateTimeOffset Expires = LocalLinks.Expires();

    [Theory]
    [InlineData("nonce123")]
    [InlineData(null)]
    public void Token_CarriesTheLanguage_WithOrWithoutANonce(string? nonce)
    {
        var claims = new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, nonce, "ar");

        Assert.Equal(LinkProblem.None, Links.TryRead(Links.CreateToken(claims), LinkPurpose.Reply, out var read));

        Assert.Equal(claims, read);
    }

    [Fact]
    public void TokenWithoutLanguage_KeepsTheNonceFormat_AndReadsWithoutOne()
    {
        var token = Links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, "nonce123"));

        Assert.StartsWith("2|", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0])), StringComparison.Ordinal);
        Assert.Equal(LinkProblem.None, Links.TryRead(token, LinkPurpose.Reply, out var read));
        Assert.Null(read!.Language);
    }

    [Fact]
    public void Language_CannotBeChanged_WithoutBreakingTheSignature()
    {
        var token = Links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, "nonce123", "nl"));
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"3|1|dlg-0123456789abcdef|p1|{Expires.ToUnixTimeSeconds()}|ar|nonce123")) + "." + token.Split('.')[1];

        Assert.Equal(LinkProblem.BadSignature, Links.TryRead(forged, LinkPurpose.Reply, out _));
        Assert.Throws<ArgumentException>(() => Links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, null, "a|r")));
        Assert.Throws<ArgumentException>(() => Links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0123456789abcdef", "p1", Expires, null, "")));
    }
}
