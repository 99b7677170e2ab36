using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Dialoog.Core.Tests.Integrations.Support;

/// <summary>A real HTTP server on a free loopback port, for the stand-ins of services this machine cannot reach.</summary>
internal static class StandInServer
{
    public static async Task<(WebApplication App, Uri Root)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <summary>The loose address check services make: one @, something on both sides, a dot in the domain.</summary>
    public static bool IsEmail(string? value) =>
        value is { Length: > 3 } && value.Count(c => c == '@') == 1 && value.IndexOf('@', StringComparison.Ordinal) > 0
        && value[(value.IndexOf('@', StringComparison.Ordinal) + 1)..].Contains('.', StringComparison.Ordinal) && !value.Any(char.IsWhiteSpace);
}
