using Azure.Core;
using Dialoog.Core.Calendar;
using Dialoog.Core.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Integrations.Support;

/// <summary>
/// The production providers for an end-to-end test: SendGrid and Microsoft Graph, each a loopback stand-in that the
/// real SDK talks to. Starts both, fills the settings that select them, and starts the app with the stand-in's
/// token credential.
/// </summary>
internal sealed class ProductionProviders : IAsyncDisposable
{
    private ProductionProviders(SendGridStandIn sendGrid, GraphStandIn graph)
    {
        SendGrid = sendGrid;
        Graph = graph;
    }

    public SendGridStandIn SendGrid { get; }

    public GraphStandIn Graph { get; }

    public static async Task<ProductionProviders> StartAsync() => new(await SendGridStandIn.StartAsync(), await GraphStandIn.StartAsync());

    public void Select(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Mail:Provider"] = "SendGrid";
        settings["Mail:SendGrid:ApiKey"] = SendGridStandIn.ApiKey;
        settings["Mail:SendGrid:BaseUrl"] = SendGrid.BaseUrl.AbsoluteUri;
        settings["Calendar:Provider"] = "Graph";
        settings["Calendar:Graph:TenantId"] = GraphStandIn.TenantId;
        settings["Calendar:Graph:ClientId"] = GraphStandIn.ClientId;
        settings["Calendar:Graph:ClientSecret"] = GraphStandIn.ClientSecret;
        settings["Calendar:Graph:OrganizerMailbox"] = Graph.Mailbox;
        settings["Calendar:Graph:BaseUrl"] = Graph.BaseUrl;
        settings["Calendar:Graph:ReplyPollInterval"] = "00:00:01";
    }

    public Task<RunningApp> StartAppAsync(IDictionary<string, string?> settings) =>
        RunningApp.StartAsync(settings, services => services.AddKeyedSingleton<TokenCredential>(
            GraphConnection.CredentialKey, new StandInTokenCredential(Graph.TokenEndpoint, GraphStandIn.ClientId, GraphStandIn.ClientSecret)));

    /// <summary>The plain-text bodies of the e-mails SendGrid accepted for <paramref name="address"/>.</summary>
    public IReadOnlyList<string> Texts(string address) => SendGrid.To(address).Select(m => SendGridStandIn.Content(m, "text/plain")).ToList();

    public async ValueTask DisposeAsync()
    {
        await SendGrid.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
