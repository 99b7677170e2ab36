using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The start form can do what the templates do: a template's page posted as it is (only the blanks a person must fill
/// in filled in) starts a process whose definition keeps every field the template sets. Against the real app on Azurite.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class StartFormTemplateTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;
    private HttpClient carla = null!;

    public async Task InitializeAsync()
    {
        app = await CoordinatorBrowser.StartAppAsync(stack, "form" + run, (LiveDefinitions.Address(run, "carla"), "Carla", false));
        carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla"));
    }

    public async Task DisposeAsync()
    {
        carla.Dispose();
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("enkele-dialoog")]
    [InlineData("waarderend-onderzoeken")]
    [InlineData("tienpuntenplan")]
    [InlineData("integraal-wijkteam")]
    [InlineData("bewonersdialoog-bouwplan")]
    public async Task TemplatePostedUnchanged_StartsAProcess_ThatKeepsEveryFieldTheTemplateSets(string name)
    {
        var template = app.Services.GetRequiredService<ProcessTemplates>().GetDraft(name)!;
        var fields = await TemplateFieldsAsync(name);
        FillBlanks(fields, template);
        fields["policy.defaultDecision"] = DecisionChoices.Cancel;

        var definition = await StartAsync(fields);

        Assert.Equal(name, definition.Template);
        var groups = template["groups"]!.AsArray();
        Assert.Equal(groups.Select(g => g!["name"]!.GetValue<string>()), definition.Groups.Select(g => g.Name));
        for (var i = 0; i < groups.Count; i++)
        {
            Assert.Equal(groups[i]!["minimum"]!.GetValue<int>(), definition.Groups[i].Minimum);
            var mandate = groups[i]!["mandateRequired"]?.GetValue<bool>() ?? false;
            Assert.Equal(mandate, definition.Groups[i].MandateRequired);
            Assert.Equal(mandate ? $"Leidinggevende {i}" : null, definition.Groups[i].Manager?.Name);
        }

        var today = DateOnly.FromDateTime(AmsterdamTime.FromUtc(DateTime.UtcNow));
        var sessions = template["sessions"]!.AsArray();
        Assert.Equal(sessions.Count, definition.Sessions.Count);
        for (var i = 0; i < sessions.Count; i++)
        {
            var session = sessions[i]!;
            var expectedStart = today.AddDays(session["offsetDays"]!.GetValue<int>()).ToDateTime(TimeOnly.ParseExact(session["startTime"]!.GetValue<string>(), "HH:mm", CultureInfo.InvariantCulture));
            Assert.Equal(expectedStart, definition.Sessions[i].Start);
            Assert.Equal(session["durationMinutes"]!.GetValue<int>(), (AmsterdamTime.ToUtc(definition.Sessions[i].End) - AmsterdamTime.ToUtc(expectedStart)).TotalMinutes);
            Assert.Equal(session["title"]!.GetValue<string>(), definition.Sessions[i].Title);
            if (session["id"] is { } id)
            {
                Assert.Equal(id.GetValue<string>(), definition.Sessions[i].Id);
            }

            Assert.Equal(template["sessionDefaults"]?["capacity"]?.GetValue<int>(), definition.Sessions[i].Capacity);
        }

        if (template["signUp"] is JsonObject signUp)
        {
            Assert.NotNull(definition.SignUp);
            Assert.Equal(signUp["groups"]!.AsArray().Select(g => g!.GetValue<string>()), definition.SignUp.Groups);
            var questions = signUp["questions"]!.AsArray();
            Assert.Equal(questions.Count, definition.SignUp.Questions!.Count);
            for (var q = 0; q < questions.Count; q++)
            {
                Assert.Equal(questions[q]!["id"]!.GetValue<string>(), definition.SignUp.Questions[q].Id);
                Assert.Equal(questions[q]!["text"]!.GetValue<string>(), definition.SignUp.Questions[q].Text);
                Assert.Equal(questions[q]!["choices"]!.AsArray().Select(c => c!.GetValue<string>()), definition.SignUp.Questions[q].Choices!);
                Assert.Equal(questions[q]!["freeText"]!.GetValue<bool>(), definition.SignUp.Questions[q].FreeText);
            }
        }
        else
        {
            Assert.Null(definition.SignUp);
        }

        // Every policy field the template sets, compared as the definition holds it.
        var started = System.Text.Json.JsonSerializer.SerializeToNode(definition.Policy, DefinitionJson.Options)!.AsObject();
        foreach (var (field, value) in template["policy"] as JsonObject ?? [])
        {
            Assert.True(IsoDuration.TryParse(value!.GetValue<string>(), out var expected), field);
            Assert.True(IsoDuration.TryParse(started[field]!.GetValue<string>(), out var actual), field);
            Assert.Equal(expected, actual);
        }

        Assert.Equal(DecisionChoices.Cancel, definition.Policy.DefaultDecision);
        Assert.Equal(Languages.English, definition.Participants[1].Language);
        Assert.Equal(Languages.Dutch, definition.Participants[0].Language);
        Assert.Equal(Languages.Arabic, definition.Participants[2].Language);
    }

    [Fact]
    public async Task MissingGroupDecision_IsNotChosenForTheCoordinator_TheFormAsksForIt()
    {
        var fields = await TemplateFieldsAsync("enkele-dialoog");
        Assert.DoesNotContain("policy.defaultDecision", fields.Keys);
        FillBlanks(fields, app.Services.GetRequiredService<ProcessTemplates>().GetDraft("enkele-dialoog")!);

        var page = await RefusedAsync(fields);
        Assert.Contains("Kies wat er gebeurt als een groep ontbreekt en niemand op tijd een keuze maakt.", page, StringComparison.Ordinal);
        Assert.Contains("href=\"#policy-defaultDecision\"", page, StringComparison.Ordinal);
        // What was typed stays, and still nothing is chosen.
        var again = StartFormPage.Fields(page);
        Assert.Equal("Onderwerp " + run, again["topic"]);
        Assert.DoesNotContain("policy.defaultDecision", again.Keys);
    }

    [Fact]
    public async Task GroupThatNeedsAMandate_WithoutItsManager_IsRefusedNextToTheManagerField_AndKeepsTheTick()
    {
        var fields = await TemplateFieldsAsync("integraal-wijkteam");
        Assert.Equal("true", fields["groups[0].mandateRequired"]);
        FillBlanks(fields, app.Services.GetRequiredService<ProcessTemplates>().GetDraft("integraal-wijkteam")!);
        fields["policy.defaultDecision"] = DecisionChoices.Cancel;
        fields["groups[0].manager.name"] = "";

        var page = await RefusedAsync(fields);
        Assert.Contains("id=\"groups-0-manager-name-error\"", page, StringComparison.Ordinal);
        Assert.Contains("Vul de naam van de leidinggevende van deze groep in.", page, StringComparison.Ordinal);
        Assert.Equal("true", StartFormPage.Fields(page)["groups[0].mandateRequired"]);
    }

    [Fact]
    public async Task SessionDateAndTimes_RoundTrip_FromFormToDefinition_AndBackOnAnError()
    {
        var template = app.Services.GetRequiredService<ProcessTemplates>().GetDraft("enkele-dialoog")!;
        var fields = await TemplateFieldsAsync("enkele-dialoog");
        var today = DateOnly.FromDateTime(AmsterdamTime.FromUtc(DateTime.UtcNow));
        // The template's 21 days show as a real date the coordinator can change.
        Assert.Equal(today.AddDays(21).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), fields["sessions[0].date"]);
        FillBlanks(fields, template);
        fields["policy.defaultDecision"] = DecisionChoices.GoAhead;
        var day = today.AddDays(40);
        fields["sessions[0].date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        fields["sessions[0].startTime"] = "10:15";
        fields["sessions[0].end"] = "12:00";
        fields["sessions[0].facilitator.name"] = "Fien";
        fields["sessions[0].facilitator.email"] = LiveDefinitions.Address(run, "fien");

        // An impossible date first: the error sits at the date field and everything typed stays.
        fields["sessions[0].date"] = "2027-02-30";
        {
            var page = await RefusedAsync(fields);
            Assert.Contains("id=\"sessions-0-start-error\"", page, StringComparison.Ordinal);
            var kept = StartFormPage.Fields(page);
            Assert.Equal("2027-02-30", kept["sessions[0].date"]);
            Assert.Equal("10:15", kept["sessions[0].startTime"]);
            Assert.Equal("12:00", kept["sessions[0].end"]);
            Assert.Equal("Fien", kept["sessions[0].facilitator.name"]);
            Assert.Equal(DecisionChoices.GoAhead, kept["policy.defaultDecision"]);
        }

        fields["sessions[0].date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var definition = await StartAsync(fields);

        Assert.Equal(day.ToDateTime(new TimeOnly(10, 15)), definition.Sessions[0].Start);
        Assert.Equal(day.ToDateTime(new TimeOnly(12, 0)), definition.Sessions[0].End);
        Assert.Equal(new Person("Fien", LiveDefinitions.Address(run, "fien")), definition.Sessions[0].Facilitator);
        Assert.Equal(DecisionChoices.GoAhead, definition.Policy.DefaultDecision);
    }

    [Fact]
    public async Task TimeThatDoesNotExistOnTheSpringSwitchDay_IsRefusedAtTheStartTime()
    {
        var fields = await FilledAsync("enkele-dialoog");
        fields["policy.defaultDecision"] = DecisionChoices.Cancel;
        fields["sessions[0].date"] = ClockDays.NextSpringSwitch().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        fields["sessions[0].startTime"] = "02:30";
        fields["sessions[0].end"] = "04:00";

        var page = await RefusedAsync(fields);
        Assert.Contains("id=\"sessions-0-startTime-error\"", page, StringComparison.Ordinal);
        Assert.Contains("Deze tijd bestaat niet", page, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> TemplateFieldsAsync(string name)
    {
        var html = await carla.GetStringAsync($"/?sjabloon={name}");
        return StartFormPage.Fields(html);
    }

    /// <summary>What a template cannot know: topic, area, contact, managers' names, the place, and enough people per group.</summary>
    private void FillBlanks(Dictionary<string, string> fields, JsonObject template)
    {
        fields["topic"] = "Onderwerp " + run;
        fields["area"] = "Gemeente Voorbeeld";
        fields["escalationContact.name"] = "Mark";
        fields["escalationContact.email"] = LiveDefinitions.Address(run, "mark");
        for (var i = 0; i < template["sessions"]!.AsArray().Count; i++)
        {
            fields[$"sessions[{i}].location"] = "Buurthuis De Brug";
        }

        var groups = template["groups"]!.AsArray();
        var person = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i]!["mandateRequired"]?.GetValue<bool>() == true)
            {
                fields[$"groups[{i}].manager.name"] = $"Leidinggevende {i}";
                fields[$"groups[{i}].manager.email"] = LiveDefinitions.Address(run, $"lg{i}");
            }

            for (var n = 0; n < groups[i]!["minimum"]!.GetValue<int>(); n++, person++)
            {
                fields[$"participants[{person}].name"] = $"Persoon {person}";
                fields[$"participants[{person}].email"] = LiveDefinitions.Address(run, $"p{person}");
                fields[$"participants[{person}].phone"] = "";
                fields[$"participants[{person}].group"] = groups[i]!["name"]!.GetValue<string>();
                fields[$"participants[{person}].language"] = person switch { 1 => Languages.English, 2 => Languages.Arabic, _ => Languages.Dutch };
            }
        }
    }

    private async Task<Dictionary<string, string>> FilledAsync(string name)
    {
        var fields = await TemplateFieldsAsync(name);
        FillBlanks(fields, app.Services.GetRequiredService<ProcessTemplates>().GetDraft(name)!);
        return fields;
    }

    /// <summary>Posts the form, expects it refused, and checks nothing started; returns the page shown again.</summary>
    private async Task<string> RefusedAsync(Dictionary<string, string> fields)
    {
        using var refused = await PostAsync(fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(await app.Services.GetRequiredService<DurableTaskClient>().AllInstancesAsync());
        return WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> fields) =>
        await LinkForm.PostAsync(carla, "/", new Dictionary<string, string>(fields) { ["action"] = "start" });

    private async Task<ProcessDefinition> StartAsync(Dictionary<string, string> fields)
    {
        using var started = await PostAsync(fields);
        Assert.True(started.StatusCode == HttpStatusCode.Redirect, WebUtility.HtmlDecode(await started.Content.ReadAsStringAsync()));
        var id = started.Headers.Location!.OriginalString.Split('/', '?')[2];
        var instance = await app.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(id, getInputsAndOutputs: true);
        return instance!.ReadInputAs<DialogueProcessInput>()!.Definition;
    }
}

/// <summary>The days the clocks change in Amsterdam: the last Sunday of March and of October.</summary>
internal static class ClockDays
{
    public static DateOnly NextSpringSwitch() => Next(3);

    public static DateOnly NextAutumnSwitch() => Next(10);

    private static DateOnly Next(int month)
    {
        var today = DateOnly.FromDateTime(AmsterdamTime.FromUtc(DateTime.UtcNow));
        for (var year = today.Year; ; year++)
        {
            var day = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            while (day.DayOfWeek != DayOfWeek.Sunday)
            {
                day = day.AddDays(-1);
            }

            if (day > today)
            {
                return day;
            }
        }
    }
}
