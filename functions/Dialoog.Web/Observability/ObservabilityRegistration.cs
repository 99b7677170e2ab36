using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dialoog.Web.Observability;

/// <summary>Settings under <c>Telemetry__</c> plus the Application Insights connection string (a root key).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";
    public const string ApplicationInsightsKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Every ActivitySource and Meter of ours is named Dialoog.Something, so one wildcard picks them all up.</summary>
    public const string SourceWildcard = "Dialoog.*";

    /// <summary>Print spans and metrics to the console; for local debugging only.</summary>
    public bool Console { get; set; }
}

public static class ObservabilityRegistration
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Exporters are chosen while building the service collection, so read the settings directly here.
        var telemetry = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var applicationInsights = builder.Configuration[TelemetryOptions.ApplicationInsightsKey];
        var useAzureMonitor = !string.IsNullOrWhiteSpace(applicationInsights);

        // Local runs keep readable text logs; anywhere else logs are JSON so a collector can read fields.
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddJsonConsole();
        }

        // Link tokens leave no trace in any log provider, also ones added after this (the factory hands out every logger).
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(LinkTokenRedactingLoggerFactory.Create));

        // At Debug, the matcher logs route values a constraint rejected, and Razor Pages logs a handler's arguments,
        // bare: for the link pages (/l/{token:link(…)}) those are tokens, which the redaction above cannot recognise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Mvc.RazorPages", LogLevel.Information);

        if (useAzureMonitor)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.AddAzureMonitorLogExporter(o => o.ConnectionString = applicationInsights);
            });
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing =>
            {
                // First, so every exporter added after it (Azure Monitor, console) gets spans without link tokens.
                tracing.AddProcessor(new LinkTokenSpanRedaction())
                    .AddSource(TelemetryOptions.SourceWildcard)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (useAzureMonitor)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = applicationInsights);
                }

                if (telemetry.Console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TelemetryOptions.SourceWildcard)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (useAzureMonitor)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = applicationInsights);
                }

                if (telemetry.Console)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return builder;
    }
}
