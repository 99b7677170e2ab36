using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Integrations.Support;

namespace Dialoog.Benchmarks.Product;

/// <summary>The app settings a benchmark run starts its workers with: the same keys as <c>local.settings.sample.json</c>.</summary>
internal static class AppSettings
{
    public static Dictionary<string, string?> For(string storageConnectionString, string taskHub, int smtpPort) => new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["AzureWebJobsStorage"] = storageConnectionString,
        ["Dialoog:PublicBaseUrl"] = "http://localhost:7071",
        ["Durable:TaskHub"] = taskHub,
        ["Mail:Provider"] = "Smtp",
        ["Mail:FromAddress"] = "dialoog@gemeente.example",
        ["Mail:FromName"] = "Dialoog",
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Mail:SendGrid:ApiKey"] = "",
        ["Calendar:Provider"] = "Ics",
        ["Links:SigningKey"] = NewKey(),
        ["Api:CoordinatorApiKey"] = NewKey(),
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "",
        ["Telemetry:Console"] = "false",
    };

    public static void UseSendGrid(Dictionary<string, string?> settings, SendGridStandIn sendGrid)
    {
        settings["Mail:Provider"] = "SendGrid";
        settings["Mail:SendGrid:ApiKey"] = SendGridStandIn.ApiKey;
        settings["Mail:SendGrid:BaseUrl"] = sendGrid.BaseUrl.AbsoluteUri;
    }

    public static void UseGraph(Dictionary<string, string?> settings, GraphStandIn graph)
    {
        settings["Calendar:Provider"] = "Graph";
        settings["Calendar:Graph:TenantId"] = GraphStandIn.TenantId;
        settings["Calendar:Graph:ClientId"] = GraphStandIn.ClientId;
        settings["Calendar:Graph:ClientSecret"] = GraphStandIn.ClientSecret;
        settings["Calendar:Graph:OrganizerMailbox"] = graph.Mailbox;
        settings["Calendar:Graph:BaseUrl"] = graph.BaseUrl;
        settings[AppHost.GraphTokenEndpointSetting] = graph.TokenEndpoint.AbsoluteUri;
    }

    /// <summary>What the SendGrid stand-in accepted, in the sink's shape (no arrival times: it does not keep them).</summary>
    public static IReadOnlyList<SunkMail> Received(SendGridStandIn sendGrid) =>
        sendGrid.Accepted.Select(m => new SunkMail(
            0,
            (string?)m["personalizations"]![0]!["to"]![0]!["email"] ?? "",
            SendGridStandIn.CustomArg(m, "messageId"),
            SendGridStandIn.CustomArg(m, "processId"),
            SendGridStandIn.CustomArg(m, "kind"),
            SendGridStandIn.Subject(m),
            SendGridStandIn.Content(m, "text/plain"))).ToList();

    /// <summary>Amsterdam wall-clock time as the API takes it.</summary>
    public static string Wall(DateTime utc) => AmsterdamTime.FromUtc(utc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
