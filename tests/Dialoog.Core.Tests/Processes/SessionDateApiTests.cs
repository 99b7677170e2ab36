using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Core.Tests.Web;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// Sessions as people say them through <c>POST /api/processes</c>: a calendar date and a time in Amsterdam with a length
/// in minutes. Converted with the clock changes in mind; impossible, past and skipped times get a Dutch error at the
/// field, and nothing starts. Against the real app on Azurite.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class SessionDateApiTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;

    public async Task InitializeAsync()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "date" + run;
        app = await RunningApp.StartWithApiKeyAsync(settings);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task DateStartTimeAndDuration_StartAtThatAmsterdamTime()
    {
        var day = Today().AddDays(60);
        var (start, end) = await StartedSessionAsync(Definition(Day(day), "19:30", 120));

        Assert.Equal(day.ToDateTime(new TimeOnly(19, 30)), start);
        Assert.Equal(day.ToDateTime(new TimeOnly(21, 30)), end);
    }

    [Fact]
    public async Task WithATemplate_TheDateShapeReplacesTheRelativeDays_AndTheTemplatesDefaultsStay()
    {
        var day = Today().AddDays(45);
        var overrides = Definition(Day(day), "14:00", 90);
        overrides["groups"] = new JsonArray(
            new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }, new JsonObject { ["name"] = "gemeente", ["minimum"] = 1 });
        overrides["signUp"] = null;
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["template"] = "enkele-dialoog", ["definition"] = overrides });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var session = (await DefinitionAsync(response)).Sessions[0];
        Assert.Equal(day.ToDateTime(new TimeOnly(14, 0)), session.Start);
        Assert.Equal(day.ToDateTime(new TimeOnly(15, 30)), session.End);
        Assert.Equal(30, session.Capacity);
    }

    [Fact]
    public async Task AcrossTheNightTheClocksGoBack_TheEndIsTheRealLengthLater()
    {
        // 00:30 summer time plus four real hours is 03:30 winter time: three hours on the clock.
        var day = ClockDays.NextAutumnSwitch();
        var (start, end) = await StartedSessionAsync(Definition(Day(day), "00:30", 240));

        Assert.Equal(day.ToDateTime(new TimeOnly(0, 30)), start);
        Assert.Equal(day.ToDateTime(new TimeOnly(3, 30)), end);
    }

    [Fact]
    public async Task AcrossTheNightTheClocksGoForward_TheEndIsTheRealLengthLater()
    {
        // 01:00 winter time plus two real hours is 04:00 summer time.
        var day = ClockDays.NextSpringSwitch();
        var (start, end) = await StartedSessionAsync(Definition(Day(day), "01:00", 120));

        Assert.Equal(day.ToDateTime(new TimeOnly(1, 0)), start);
        Assert.Equal(day.ToDateTime(new TimeOnly(4, 0)), end);
    }

    [Fact]
    public async Task OpenApi_DescribesEverySessionShape()
    {
        var document = await app.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var description = document!["paths"]!["/api/processes"]!["post"]!["description"]!.GetValue<string>();

        foreach (var field in new[] { "\"date\": \"2027-03-15\"", "\"offsetDays\"", "\"startsIn\"", "\"durationMinutes\"", "\"start\": \"2027-03-15T19:30\"" })
        {
            Assert.Contains(field, description, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string, int?, string, string> Refused() => new()
    {
        { "spring", "02:30", "", null, "sessions[0].startTime", "Deze tijd bestaat niet" },
        { "autumn", "02:30", "", null, "sessions[0].startTime", "Deze tijd bestaat twee keer" },
        { "2027-02-30", "19:30", "", null, "sessions[0].date", "De datum '2027-02-30' bestaat niet" },
        { "15-03-2027", "19:30", "", null, "sessions[0].date", "jaar-maand-dag, bijvoorbeeld 2027-03-15" },
        { "yesterday", "19:30", "", null, "sessions[0].date", "is al voorbij" },
        { "in60", "7 uur", "", null, "sessions[0].startTime", "bijvoorbeeld 19:30" },
        { "in60", "19:30", "", 21, "sessions[0].date", "Gebruik óf date, óf offsetDays, óf startsIn" },
        { "in60", "19:30", "geen", null, "sessions[0].durationMinutes", "hoeveel minuten" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task BadDateOrTime_Is400WithADutchErrorAtTheField_AndNothingStarts(string date, string time, string duration, int? offsetDays, string field, string message)
    {
        var day = date switch
        {
            "spring" => Day(ClockDays.NextSpringSwitch()),
            "autumn" => Day(ClockDays.NextAutumnSwitch()),
            "yesterday" => Day(Today().AddDays(-1)),
            "in60" => Day(Today().AddDays(60)),
            _ => date,
        };
        var definition = Definition(day, time, 120);
        if (duration.Length > 0)
        {
            definition["sessions"]![0]!["durationMinutes"] = duration;
        }

        if (offsetDays is { } days)
        {
            definition["sessions"]![0]!["offsetDays"] = days;
        }

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), errors.ToJsonString());
        Assert.Contains(message, errors[field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await app.Services.GetRequiredService<DurableTaskClient>().AllInstancesAsync());
    }

    private JsonObject Definition(string date, string startTime, int durationMinutes)
    {
        var definition = LiveDefinitions.TwoPeople(run);
        definition["sessions"] = new JsonArray(new JsonObject
        {
            ["title"] = "Gesprek",
            ["date"] = date,
            ["startTime"] = startTime,
            ["durationMinutes"] = durationMinutes,
            ["location"] = "Buurthuis",
        });
        return definition;
    }

    private async Task<(DateTime Start, DateTime End)> StartedSessionAsync(JsonObject definition)
    {
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var session = (await DefinitionAsync(response)).Sessions[0];
        return (session.Start, session.End);
    }

    private async Task<Dialoog.Core.Processes.Definition.ProcessDefinition> DefinitionAsync(HttpResponseMessage response)
    {
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var instance = await app.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(id, getInputsAndOutputs: true);
        return instance!.ReadInputAs<DialogueProcessInput>()!.Definition;
    }

    private static DateOnly Today() => DateOnly.FromDateTime(Dialoog.Core.Processes.Definition.AmsterdamTime.FromUtc(DateTime.UtcNow));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
