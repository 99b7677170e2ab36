using Dialoog.Core.Hosting;
using Dialoog.Core.Links;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Tests.Testing;

/// <summary>Personal links with a fresh key, outside any app: for tests of the token itself.</summary>
internal static class LocalLinks
{
    public static ParticipantLinks New() => new(
        Options.Create(new LinksOptions { SigningKey = RunningApp.NewKey() }),
        Options.Create(new DialoogOptions { PublicBaseUrl = "http://localhost:7071" }),
        TimeProvider.System);

    /// <summary>A day from now, in whole seconds as tokens hold it, so claims read back equal.</summary>
    public static DateTimeOffset Expires() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
}
