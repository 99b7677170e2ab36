using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Email;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// Every template's life up to and including its sessions, with time under the test's control: from the invitation
/// through replies, the representation check and a reminder before each session, to the minutes of the last one.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class TemplateLifeTests(DevStackFixture stack) : IAsyncLifetime
{
    private ProcessTestHost host = null!;

    public Task InitializeAsync()
    {
        host = new ProcessTestHost(stack);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Theory]
    [InlineData("enkele-dialoog", 1)]
    [InlineData("waarderend-onderzoeken", 4)]
    [InlineData("tienpuntenplan", 3)]
    [InlineData("integraal-wijkteam", 2)]
    [InlineData("bewonersdialoog-bouwplan", 2)]
    public async Task Template_EveryoneComes_RunsThroughAllSessionsToCompletion(string template, int sessions)
    {
        var draft = host.Templates.GetDraft(template)!;
        var groups = draft["groups"]!.AsArray();
        var overrides = new JsonObject
        {
            ["topic"] = "Proef met sjabloon " + template,
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Definitions.Coordinator.Email },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = Definitions.Contact.Email },
            ["sessionDefaults"] = new JsonObject { ["location"] = "Wijkcentrum, Marktplein 1" },
            ["participants"] = LiveDefinitions.MinimumParticipants(groups),
        };
        if (groups.Any(g => g!["mandateRequired"]?.GetValue<bool>() == true))
        {
            // Each partner organisation names the manager who confirms the mandate.
            overrides["groups"] = new JsonArray(groups.Select((g, i) =>
            {
                var group = g!.DeepClone().AsObject();
                group["manager"] = new JsonObject { ["name"] = $"Manager {i}", ["email"] = $"manager{i}@partner.example" };
                return (JsonNode?)group;
            }).ToArray());
        }

        var definition = host.Definition(template, overrides);
        Assert.Equal(sessions, definition.Sessions.Count);
        var id = await host.StartAsync(definition);

        var participants = definition.Participants.Count;
        Assert.Equal(participants, host.Mail.OfKind(MailKind.Invitation).Count);
        Assert.All(host.Mail.OfKind(MailKind.Invitation), m => Assert.Equal(sessions, m.Attachments.Count));
        for (var i = 1; i <= participants; i++)
        {
            await host.ReplyAsync(id, "p" + i, Answers.Yes);
        }

        var mandates = definition.Groups.Count(g => g.MandateRequired);
        Assert.Equal(mandates, host.Mail.OfKind(MailKind.MandateRequest).Count);
        for (var i = 0; i < definition.Groups.Count; i++)
        {
            if (definition.Groups[i].MandateRequired)
            {
                await host.SignalAsync(id, new MandateSignal(i, true, null));
            }
        }

        var lastEnd = definition.Sessions.Max(s => AmsterdamTime.ToUtc(s.End));
        await host.AdvanceToAsync(lastEnd.AddHours(1));
        Assert.Equal(Phases.FollowUp, (await host.StatusAsync(id)).Phase);
        Assert.Equal(sessions, host.Mail.OfKind(MailKind.MinutesRequest).Count);
        foreach (var session in definition.Sessions)
        {
            var minutes = new MinutesVersion(id, session.Id!, 1, MinutesStore.BlobName(id, session.Id!, 1), "verslag.pdf", "application/pdf", 100, "00", "Fien", host.Now);
            await host.SignalAsync(id, new MinutesUploadedSignal(session.Id!, minutes, []));
        }

        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var status = instance.ReadCustomStatusAs<ProcessStatus>()!;
        Assert.Equal(Phases.Completed, status.Phase);
        Assert.Empty(status.Escalations);
        Assert.All(status.Sessions, s => Assert.Equal("held", s.State));
        Assert.Equal(participants * sessions, host.Mail.OfKind(MailKind.SessionReminder).Count);
        Assert.Empty(host.Mail.OfKind(MailKind.ReplyReminder));
        Assert.Equal(0, host.Mail.Repeats);
    }

    [Fact]
    public async Task IntegralTeam_MandateRefused_EscalatesAtTheDeadline()
    {
        var draft = host.Templates.GetDraft("integraal-wijkteam")!;
        var groups = draft["groups"]!.AsArray();
        var overrides = new JsonObject
        {
            ["topic"] = "Wijkteam Zuid",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Definitions.Coordinator.Email },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = Definitions.Contact.Email },
            ["sessionDefaults"] = new JsonObject { ["location"] = "Wijkcentrum" },
            ["participants"] = LiveDefinitions.MinimumParticipants(groups),
            ["groups"] = new JsonArray(groups.Select((g, i) =>
            {
                var group = g!.DeepClone().AsObject();
                group["manager"] = new JsonObject { ["name"] = $"Manager {i}", ["email"] = $"manager{i}@partner.example" };
                return (JsonNode?)group;
            }).ToArray()),
        };
        var definition = host.Definition("integraal-wijkteam", overrides);
        var id = await host.StartAsync(definition);
        for (var i = 1; i <= definition.Participants.Count; i++)
        {
            await host.ReplyAsync(id, "p" + i, Answers.Yes);
        }

        for (var i = 0; i < definition.Groups.Count; i++)
        {
            await host.SignalAsync(id, new MandateSignal(i, Confirmed: i != 3, i == 3 ? "Eerst overleg met de directie" : null));
        }

        await host.AdvanceAsync(definition.Policy.ReplyDeadline + TimeSpan.FromMinutes(1));

        var escalation = Assert.Single((await host.StatusAsync(id)).Escalations);
        var fact = Assert.Single(escalation.Facts);
        Assert.Contains(definition.Groups[3].Name, fact, StringComparison.Ordinal);
        Assert.Contains("niet gegeven", fact, StringComparison.Ordinal);
        Assert.Single(host.Mail.OfKind(MailKind.RepresentationEscalation, Definitions.Coordinator.Email));
    }
}
