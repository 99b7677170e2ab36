using Azure.Data.Tables;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Tests.Integrations.Support;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Tests.Integrations;

/// <summary>The real Graph SDK (Kiota pipeline with its retry handler), pointed at a loopback Graph stand-in.</summary>
[Collection(DevStackCollection.Name)]
public sealed class GraphSessionCalendarTests(DevStackFixture stack) : IAsyncLifetime
{
    // 19:30-21:30 in Amsterdam, summer time (UTC+2).
    private static readonly DateTime Start = new(2026, 6, 10, 17, 30, 0, DateTimeKind.Utc);

    private readonly string taskHub = stack.NewTaskHubName();
    private GraphStandIn graph = null!;

    public async Task InitializeAsync() => graph = await GraphStandIn.StartAsync();

    public async Task DisposeAsync() => await graph.DisposeAsync();

    [Fact]
    public async Task Sync_NewSession_CreatesOneEventWithEveryAttendeeInAmsterdamTime()
    {
        var calendar = Calendar();

        var id = await calendar.SyncAsync(Session(Anna, Bram), CancellationToken.None);

        var item = Assert.Single(graph.Events);
        Assert.Equal(id, (string?)item["id"]);
        Assert.Equal(("POST", $"/v1.0/users/{graph.Mailbox}/events", 201), Last());
        Assert.Equal("Wijkvisie: Eerste gesprek", (string?)item["subject"]);
        Assert.Equal("2026-06-10T19:30:00", (string?)item["start"]!["dateTime"]);
        Assert.Equal("Europe/Amsterdam", (string?)item["start"]!["timeZone"]);
        Assert.Equal("2026-06-10T21:30:00", (string?)item["end"]!["dateTime"]);
        Assert.Equal("Buurthuis De Linde", (string?)item["location"]!["displayName"]);
        Assert.False(item["allowNewTimeProposals"]!.GetValue<bool>());
        Assert.Equal("html", (string?)item["body"]!["contentType"]);
        Assert.Contains("Antwoord hier met Ja, Nee of Misschien", (string?)item["body"]!["content"], StringComparison.Ordinal);
        Assert.Equal(GraphSessionCalendar.TransactionId("process-1", "s1"), (string?)item["transactionId"]);
        Assert.Equal(["anna@example.org", "bram@example.org"], item["attendees"]!.AsArray().Select(a => (string?)a!["emailAddress"]!["address"]));
        Assert.All(item["attendees"]!.AsArray(), a => Assert.Equal("required", (string?)a!["type"]));
        Assert.Equal(1, graph.TokensIssued);
    }

    [Fact]
    public async Task Sync_NewSession_EachAttendeesCopyListsOnlyThemselves()
    {
        var id = (await Calendar().SyncAsync(Session(Anna, Bram, Carla), CancellationToken.None))!;

        var created = graph.Requests.Single(r => r.Method == "POST");
        Assert.True(created.Body!["hideAttendees"]!.GetValue<bool>());
        foreach (var (attendee, others) in new[] { (Anna, new[] { Bram, Carla }), (Bram, new[] { Anna, Carla }), (Carla, new[] { Anna, Bram }) })
        {
            var copy = graph.AttendeeCopy(id, attendee.Address);
            Assert.Equal([attendee.Address], copy["attendees"]!.AsArray().Select(a => (string?)a!["emailAddress"]!["address"]));
            var everything = copy.ToJsonString();
            Assert.All(others, other =>
            {
                Assert.DoesNotContain(other.Address, everything, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(other.Name, everything, StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public async Task Sync_NewParticipantAdded_ThePatchKeepsTheAttendeeListHidden()
    {
        var calendar = Calendar();
        var id = (await calendar.SyncAsync(Session(Anna), CancellationToken.None))!;

        await calendar.SyncAsync(Session(Anna, Bram), CancellationToken.None);

        // The update itself carries the flag: an event made before it was set gets it at its next change.
        var patch = graph.Requests.Single(r => r.Method == "PATCH");
        Assert.True(patch.Body!["hideAttendees"]!.GetValue<bool>());
        Assert.Equal(["bram@example.org"], graph.AttendeeCopy(id, "bram@example.org")["attendees"]!.AsArray().Select(a => (string?)a!["emailAddress"]!["address"]));
        Assert.Equal(["anna@example.org"], graph.AttendeeCopy(id, "anna@example.org")["attendees"]!.AsArray().Select(a => (string?)a!["emailAddress"]!["address"]));
    }

    [Fact]
    public async Task OrganizerEvent_AttendeesHidden_StillHoldsEveryAttendeesReplyForThePoller()
    {
        var id = (await Calendar().SyncAsync(Session(Anna, Bram), CancellationToken.None))!;
        graph.Reply(id, "anna@example.org", "accepted");
        graph.Reply(id, "bram@example.org", "declined");

        // The read CalendarReplyPoller makes: the organizer's own event.
        var item = await Client().Users[graph.Mailbox].Events[id].GetAsync(request => request.QueryParameters.Select = ["attendees"]);

        Assert.Equal(
            [("anna@example.org", Microsoft.Graph.Models.ResponseType.Accepted), ("bram@example.org", Microsoft.Graph.Models.ResponseType.Declined)],
            item!.Attendees!.Select(a => (a.EmailAddress!.Address, a.Status!.Response)));
    }

    [Fact]
    public async Task Sync_IdLostAfterCreate_TransactionIdGivesTheSameEventBack()
    {
        var first = await Calendar().SyncAsync(Session(Anna), CancellationToken.None);
        await new TableServiceClient(stack.StorageConnectionString).GetTableClient(taskHub + "CalendarEvents").DeleteEntityAsync("process-1", "s1");

        var again = await Calendar().SyncAsync(Session(Anna), CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(graph.Events);
    }

    [Fact]
    public async Task Sync_RescheduledWithANewParticipant_PatchesTheEventAndKeepsEarlierReplies()
    {
        var calendar = Calendar();
        var id = (await calendar.SyncAsync(Session(Anna), CancellationToken.None))!;
        graph.Reply(id, "anna@example.org", "accepted");

        var again = await calendar.SyncAsync(Session(Anna, Bram) with { Event = Event() with { StartUtc = Start.AddDays(1), EndUtc = Start.AddDays(1).AddHours(2), Location = "Stadhuis" } }, CancellationToken.None);

        Assert.Equal(id, again);
        Assert.Equal(("PATCH", $"/v1.0/users/{graph.Mailbox}/events/{id}", 200), Last());
        var item = Assert.Single(graph.Events);
        Assert.Equal("2026-06-11T19:30:00", (string?)item["start"]!["dateTime"]);
        Assert.Equal("Stadhuis", (string?)item["location"]!["displayName"]);
        var attendees = item["attendees"]!.AsArray();
        Assert.Equal(["accepted", "none"], attendees.Select(a => (string?)a!["status"]!["response"]));
        Assert.Equal(GraphSessionCalendar.TransactionId("process-1", "s1"), (string?)item["transactionId"]);
    }

    [Fact]
    public async Task Sync_Cancelled_CallsTheCancelActionWithTheReasonOnce()
    {
        var calendar = Calendar();
        var id = await calendar.SyncAsync(Session(Anna), CancellationToken.None);
        var cancelled = Session(Anna) with { Event = Event() with { Cancelled = true }, Comment = "De zaal is niet beschikbaar." };

        await calendar.SyncAsync(cancelled, CancellationToken.None);
        await calendar.SyncAsync(cancelled, CancellationToken.None);

        var cancellation = Assert.Single(graph.Cancellations);
        Assert.Equal(id, cancellation.EventId);
        Assert.Equal("Deze bijeenkomst gaat niet door. De zaal is niet beschikbaar.", cancellation.Comment);
        Assert.Empty(graph.Events);
        Assert.Equal(1, graph.Requests.Count(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sync_Throttled_TheSdkWaitsForRetryAfterAndSucceeds()
    {
        graph.ThrottleNext(1, retryAfterSeconds: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Calendar().SyncAsync(Session(Anna), CancellationToken.None);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"Waited only {clock.Elapsed}.");
        Assert.Equal([429, 201], graph.Requests.Select(r => r.Status));
        Assert.Single(graph.Events);
    }

    [Fact]
    public async Task Sync_MailboxTheAppMayNotUse_FailsWithGraphsError()
    {
        var calendar = Calendar(mailbox: "burgemeester@gemeente.example");

        var error = await Assert.ThrowsAsync<CalendarSyncException>(() => calendar.SyncAsync(Session(Anna), CancellationToken.None));

        Assert.Contains("403 ErrorAccessDenied", error.Message, StringComparison.Ordinal);
        Assert.Contains("application access policy", error.Message, StringComparison.Ordinal);
        Assert.Empty(graph.Events);
    }

    [Fact]
    public async Task Sync_IcsProvider_DoesNothing()
    {
        Assert.Null(await new IcsSessionCalendar(TimeProvider.System).SyncAsync(Session(Anna), CancellationToken.None));
        Assert.Empty(await Calendar().AttachmentsForAsync(Event(), Anna, CancellationToken.None));
    }

    [Fact]
    public void CreateCredential_EachSetting_GivesTheMatchingAzureIdentityCredential()
    {
        var secret = new CalendarOptions.GraphSettings { TenantId = "t", ClientId = "c", ClientSecret = "s" };
        var identity = new CalendarOptions.GraphSettings { Credential = "ManagedIdentity" };

        Assert.IsType<Azure.Identity.ClientSecretCredential>(GraphConnection.CreateCredential(secret));
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(GraphConnection.CreateCredential(identity));
    }

    private static readonly MailAddress Anna = new("Anna de Wit", "anna@example.org");
    private static readonly MailAddress Bram = new("Bram Peters", "bram@example.org");
    private static readonly MailAddress Carla = new("Carla Jansen", "carla@example.org");

    private (string, string, int) Last()
    {
        var last = graph.Requests[^1];
        return (last.Method, Uri.UnescapeDataString(last.Path), last.Status);
    }

    private static CalendarEvent Event() => new(
        "process-1-s1@dialoog", 0, "Wijkvisie: Eerste gesprek", "Wijkvisie", Start, Start.AddHours(2), "Buurthuis De Linde", null,
        new MailAddress("Dialoog", "dialoog@gemeente.example"), Cancelled: false);

    private static SessionSync Session(params MailAddress[] attendees) => new("process-1", "s1", Event(), attendees, null);

    private GraphSessionCalendar Calendar(string? mailbox = null)
    {
        var options = new CalendarOptions
        {
            Provider = CalendarOptions.GraphProvider,
            Graph = { OrganizerMailbox = mailbox ?? graph.Mailbox, BaseUrl = graph.BaseUrl, TenantId = GraphStandIn.TenantId, ClientId = GraphStandIn.ClientId },
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = taskHub }).Build();
        return new GraphSessionCalendar(Client(options.Graph), new CalendarEventStore(new TableServiceClient(stack.StorageConnectionString), configuration), Options.Create(options), NullLogger<GraphSessionCalendar>.Instance);
    }

    private Microsoft.Graph.GraphServiceClient Client(CalendarOptions.GraphSettings? settings = null) =>
        GraphConnection.CreateClient(
            new StandInTokenCredential(graph.TokenEndpoint, GraphStandIn.ClientId, GraphStandIn.ClientSecret),
            settings ?? new CalendarOptions.GraphSettings { OrganizerMailbox = graph.Mailbox, BaseUrl = graph.BaseUrl, TenantId = GraphStandIn.TenantId, ClientId = GraphStandIn.ClientId });
}
