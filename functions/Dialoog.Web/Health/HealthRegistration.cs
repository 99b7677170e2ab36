using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Core.Email;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Health;

public static class HealthRegistration
{
    public const string LivenessPath = "/health";
    public const string ReadinessPath = "/health/ready";

    /// <summary>The tag of the checks readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Short, so a dead dependency makes the readiness answer come back fast.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Anonymous readiness answers from the last run this young: a flood of requests then costs storage and SMTP one
    /// probe per window, while a load balancer still notices an outage within seconds.
    /// </summary>
    public static readonly TimeSpan AnonymousCacheFor = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddDialoogHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ReadinessProbe>();
        services.AddHealthChecks()
            .Add(Readiness("blob", "Blob storage", sp => async ct =>
            {
                await sp.GetRequiredService<BlobServiceClient>().GetPropertiesAsync(ct);
                return null;
            }))
            .Add(Readiness("queue", "Queue storage", sp => async ct =>
            {
                await sp.GetRequiredService<QueueServiceClient>().GetPropertiesAsync(ct);
                return null;
            }))
            .Add(Readiness("table", "Table storage", sp => async ct =>
            {
                // Table service properties are not supported everywhere (Azurite); one page of a query is cheap.
                await foreach (var _ in sp.GetRequiredService<TableServiceClient>().QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1))
                {
                    break;
                }

                return null;
            }))
            .Add(Readiness("smtp", "The SMTP server", sp => async ct =>
            {
                var mail = sp.GetRequiredService<IOptions<MailOptions>>().Value;
                return mail.UsesSmtp
                    ? await SmtpProbe.GreetAsync(mail.Smtp, ct)
                    : $"Mail goes through {mail.Provider}; SMTP is not used.";
            }));
        return services;
    }

    public static WebApplication MapDialoogHealthChecks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Liveness runs no checks: the process answers, so it is alive. Restarting it would not fix a dead dependency.
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (context, report) => WriteJsonAsync(context, report, details: false) });

        // Readiness stays anonymous (App Service's health check and the start script call it without a key), but only
        // operators see which dependency failed and why; everyone else gets the cached ready / not ready.
        app.MapMethods(ReadinessPath, [HttpMethods.Get, HttpMethods.Head], ReadyAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task ReadyAsync(HttpContext context, ReadinessProbe readiness, IOptions<ApiOptions> api, IOptions<AuthOptions> auth)
    {
        var details = OperatorFilter.IsOperator(context, api.Value, auth.Value);
        var report = details ? await readiness.RunAsync(context.RequestAborted) : await readiness.RecentAsync(context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        // The same headers as the health check middleware: a proxy must not keep an old answer.
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        await WriteJsonAsync(context, report, details);
    }

    private static HealthCheckRegistration Readiness(string name, string dependency, Func<IServiceProvider, Func<CancellationToken, Task<string?>>> probe) =>
        new(name, sp => new DependencyHealthCheck(dependency, ProbeTimeout, probe(sp)), HealthStatus.Unhealthy, [ReadyTag]);

    private static Task WriteJsonAsync(HttpContext context, HealthReport report, bool details)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object> { ["status"] = report.Status.ToString() };
        if (details && report.Entries.Count > 0)
        {
            body["checks"] = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => entry.Value.Status == HealthStatus.Healthy && entry.Value.Description is null
                    ? new Dictionary<string, string> { ["status"] = entry.Value.Status.ToString() }
                    : new Dictionary<string, string> { ["status"] = entry.Value.Status.ToString(), ["description"] = entry.Value.Description ?? "" });
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}

/// <summary>
/// Runs the readiness checks. Anonymous callers share one run per <see cref="HealthRegistration.AnonymousCacheFor"/>:
/// requests that arrive while a run is going wait for it instead of starting their own.
/// </summary>
internal sealed class ReadinessProbe(HealthCheckService checks, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Run? last;

    /// <summary>A fresh run, for operators: they ask because they want to know now.</summary>
    public async Task<HealthReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(HealthRegistration.ReadyTag), cancellationToken);
        last = new Run(report, time.GetTimestamp());
        return report;
    }

    /// <summary>The last run while it is young enough, otherwise one new run shared by everyone waiting.</summary>
    public async Task<HealthReport> RecentAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } report)
        {
            return report;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return Fresh() ?? await RunAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private HealthReport? Fresh() =>
        last is { } run && time.GetElapsedTime(run.At) < HealthRegistration.AnonymousCacheFor ? run.Report : null;

    private sealed record Run(HealthReport Report, long At);
}
