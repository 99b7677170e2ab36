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

    /// <summary>Short, so a dead dependency makes the readiness answer come back fast.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private const string ReadyTag = "ready";

    public static IServiceCollection AddDialoogHealthChecks(this IServiceCollection services)
    {
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
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync });
        return app;
    }

    private static HealthCheckRegistration Readiness(string name, string dependency, Func<IServiceProvider, Func<CancellationToken, Task<string?>>> probe) =>
        new(name, sp => new DependencyHealthCheck(dependency, ProbeTimeout, probe(sp)), HealthStatus.Unhealthy, [ReadyTag]);

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object> { ["status"] = report.Status.ToString() };
        if (report.Entries.Count > 0)
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
