using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Testing;
using Dialoog.Web.Observability;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Dialoog.Core.Tests.Observability;

/// <summary>
/// A personal link is a password: whoever has it acts as that participant. Requests for real link paths on the running
/// app must leave the token in no span, metric or log line, whatever exporter or log provider reads them.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class LinkTokenTelemetryTests(DevStackFixture stack)
{
    [Fact]
    public async Task LinkAndProgressRequests_LeaveNoTokenInSpansMetricsOrLogs()
    {
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<MetricSnapshot>();
        var logs = new CapturedLogs();
        var settings = RunningApp.SettingsFor(stack);
        // Everything ASP.NET Core and the engine can say, down to routing's and Kestrel's trace lines.
        settings["Logging:LogLevel:Default"] = "Trace";
        await using var app = await RunningApp.StartAsync(settings, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        var links = app.Services.GetRequiredService<ParticipantLinks>();
        string Token(LinkPurpose purpose, string subject) =>
            links.CreateToken(new LinkClaims(purpose, "dlg-telemetrie-" + Guid.NewGuid().ToString("N")[..8], subject, DateTimeOffset.UtcNow.AddDays(1)));
        var reply = Token(LinkPurpose.Reply, "p1");
        var upper = Token(LinkPurpose.Reply, "p2");
        var download = Token(LinkPurpose.MinutesDownload, "minutes:s1:1");
        var progress = Token(LinkPurpose.FollowUp, "a1");
        // A mistyped or forged token is still (close to) somebody's secret.
        var forged = reply[..^4] + "zzzz";

        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        var answers = new List<HttpStatusCode>();
        async Task Send(Func<Task<HttpResponseMessage>> request)
        {
            using var response = await request();
            answers.Add(response.StatusCode);
        }

        await Send(() => anonymous.GetAsync($"/l/{reply}?k=yes"));
        await Send(() => anonymous.GetAsync($"/l/{reply}/agenda.ics?s=s1"));
        await Send(() => anonymous.PostAsync($"/l/{reply}", new FormUrlEncodedContent(new Dictionary<string, string> { ["antwoord"] = "yes" })));
        await Send(() => anonymous.GetAsync($"/L/{upper}"));
        await Send(() => anonymous.GetAsync($"/l/{download}"));
        await Send(() => anonymous.GetAsync($"/l/{forged}"));
        await Send(() => anonymous.GetAsync($"/l/{reply}/niet/bestaand"));
        await Send(() => anonymous.PostAsJsonAsync($"/api/progress/{progress}", new { status = "done" }));
        await Send(() => anonymous.PostAsJsonAsync($"/API/Progress/{forged}", new { status = "done" }));

        // The server's span ends just after its answer went out.
        await Eventually.HoldsAsync(() => spans.Snapshot().Count(s => s.Kind == ActivityKind.Server) >= answers.Count, "a server span for every request");
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        // The test is only worth something if the telemetry is there: spans with the route, metrics, hosting's log lines.
        Assert.Contains(spans.Snapshot(), s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("http.route"), "/l/{token}"));
        Assert.Contains(spans.Snapshot(), s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("http.route"), "/api/progress/{token}"));
        Assert.Contains(metrics.Snapshot(), m => m.Name == "http.server.request.duration");
        Assert.Contains(logs.Snapshot(), l => l.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics: Request starting", StringComparison.Ordinal));

        var secrets = new[] { reply, upper, download, progress, forged }
            .SelectMany(t => t.Split('.').Append(t))
            .Where(s => s.Length >= 12)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Leaks("span", spans.Snapshot().SelectMany(SpanTexts), secrets);
        Leaks("metric", metrics.Snapshot().SelectMany(MetricTexts), secrets);
        Leaks("log", logs.Snapshot(), secrets);
    }

    private static void Leaks(string where, IEnumerable<string> texts, IReadOnlyList<string> secrets)
    {
        var leaks = texts.Where(t => secrets.Any(s => t.Contains(s, StringComparison.OrdinalIgnoreCase))).Distinct(StringComparer.Ordinal).Take(8).ToList();
        Assert.True(leaks.Count == 0, $"A link token is in a {where}:\n" + string.Join("\n", leaks));
    }

    private static IEnumerable<string> SpanTexts(Activity span)
    {
        yield return $"{span.Source.Name} {span.OperationName} '{span.DisplayName}' {span.StatusDescription}";
        foreach (var tag in span.TagObjects)
        {
            yield return $"'{span.DisplayName}' {tag.Key}={tag.Value}";
        }

        foreach (var item in span.Baggage)
        {
            yield return $"'{span.DisplayName}' baggage {item.Key}={item.Value}";
        }

        foreach (var spanEvent in span.Events)
        {
            yield return $"'{span.DisplayName}' event {spanEvent.Name} " + string.Join(" ", spanEvent.Tags.Select(t => $"{t.Key}={t.Value}"));
        }
    }

    private static IEnumerable<string> MetricTexts(MetricSnapshot metric)
    {
        foreach (var point in metric.MetricPoints)
        {
            var tags = new List<string>();
            foreach (var tag in point.Tags)
            {
                tags.Add($"{tag.Key}={tag.Value}");
            }

            yield return $"{metric.MeterName} {metric.Name}: {string.Join(" ", tags)}";
        }
    }

    /// <summary>The exporters add from the threads that end spans while the test reads.</summary>
    private sealed class LockedCollection<T> : Collection<T>
    {
        private readonly Lock gate = new();

        public List<T> Snapshot()
        {
            lock (gate)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (gate)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (gate)
            {
                base.ClearItems();
            }
        }
    }

    /// <summary>
    /// A log provider like any other (console, Application Insights): it gets what the logging pipeline hands out and
    /// keeps every text a provider could write: the message, each state value, each scope and the exception.
    /// </summary>
    private sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
    {
        private readonly LockedCollection<string> texts = new();
        private IExternalScopeProvider? scopes;

        public List<string> Snapshot() => texts.Snapshot();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner.scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.texts.Add($"{category}: {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    owner.texts.Add($"{category} state: " + string.Join(" ", values.Select(v => $"{v.Key}={v.Value}")));
                }

                owner.scopes?.ForEachScope(
                    (scope, texts) =>
                    {
                        texts.Add($"{category} scope: {scope}");
                        if (scope is IEnumerable<KeyValuePair<string, object?>> scopeValues)
                        {
                            texts.Add($"{category} scope: " + string.Join(" ", scopeValues.Select(v => $"{v.Key}={v.Value}")));
                        }
                    },
                    owner.texts);
                if (exception is not null)
                {
                    owner.texts.Add($"{category} exception: {exception}");
                }
            }
        }
    }
}

/// <summary>What counts as a token in a path, and what does not (route templates stay readable).</summary>
public sealed class LinkTokensTests
{
    [Theory]
    [InlineData("/l/abc.DEF-_1", "/l/{token}")]
    [InlineData("/l/abc.def/agenda.ics?s=s1", "/l/{token}/agenda.ics?s=s1")]
    [InlineData("/L/abc", "/L/{token}")]
    [InlineData("/l//abc", "/l//{token}")]
    [InlineData("/api/progress/abc", "/api/progress/{token}")]
    [InlineData("/API/Progress/abc?x=1", "/API/Progress/{token}?x=1")]
    [InlineData("Request starting HTTP/1.1 GET http://host/l/abc?k=yes - - -", "Request starting HTTP/1.1 GET http://host/l/{token}?k=yes - - -")]
    [InlineData("path '/l/abc' not found", "path '/l/{token}' not found")]
    public void Redact_ReplacesTheTokenSegment(string text, string expected)
    {
        Assert.True(LinkTokens.In(text));
        Assert.Equal(expected, LinkTokens.Redact(text));
    }

    [Theory]
    [InlineData("/l/{token}")]
    [InlineData("HTTP: POST /l/{token}/agenda.ics")]
    [InlineData("/api/progress/{token}")]
    [InlineData("/health/ready")]
    [InlineData("/api/processes/dlg-123/minutes")]
    [InlineData("/html/index")]
    [InlineData("/l/")]
    public void In_RoutesAndOtherPaths_HaveNoToken(string text) => Assert.False(LinkTokens.In(text));
}
