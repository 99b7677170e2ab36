using System.Diagnostics;
using System.Text.Json;
using Azure.Core;
using Dialoog.Core.Calendar;
using Dialoog.Web.Hosting;
using Dialoog.Core.Storage;
using Dialoog.Core.Tests.Integrations.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Benchmarks.Product;

/// <summary>
/// The real app (web, API and durable worker in one, as on Azure) with every storage request it makes counted.
/// Runs in this process for the product benchmark, or as a worker process (<c>app</c> mode) for scale and chaos.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    /// <summary>Not an app setting: the Graph stand-in's token endpoint, so the app gets its tokens there.</summary>
    public const string GraphTokenEndpointSetting = "Bench:GraphTokenEndpoint";

    /// <summary>Starts the lines a worker writes for its parent; everything else on stdout is the app's log.</summary>
    public const string AnswerPrefix = "@@ ";

    private readonly WebApplication _app;

    private readonly StorageRequestCounter _storage;

    private AppHost(WebApplication app, StorageRequestCounter storage)
    {
        _app = app;
        _storage = storage;
    }

    public Uri BaseAddress => new(_app.Urls.First());

    public IServiceProvider Services => _app.Services;

    public static async Task<AppHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var counter = new StorageRequestCounter();
        var app = DialoogApp.Build(
            [],
            configuration => configuration.AddInMemoryCollection(settings),
            services =>
            {
                // Registered last, so it wins: every request of the app's clients and of the engine's is counted.
                services.AddSingleton(new StorageClientPolicies(counter));
                if (settings.TryGetValue(GraphTokenEndpointSetting, out var tokens) && tokens is not null)
                {
                    services.AddKeyedSingleton<TokenCredential>(GraphConnection.CredentialKey,
                        new StandInTokenCredential(new Uri(tokens), GraphStandIn.ClientId, GraphStandIn.ClientSecret));
                }
            });
        await app.StartAsync();
        return new AppHost(app, counter);
    }

    /// <summary>Every request to Blob, Queue and Table storage since the start (or the last reset), retries included.</summary>
    public long StorageRequests => _storage.Count;

    public void ResetCounters() => _storage.Reset();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// <c>app --settings file.json</c>: prints its URL, answers <c>stats</c> on stdin with a JSON line of its
    /// storage requests and memory, and stops when stdin closes (so a parent that dies takes its workers with it).
    /// </summary>
    public static async Task<int> RunWorkerAsync(string settingsPath)
    {
        var settings = JsonSerializer.Deserialize<Dictionary<string, string?>>(await File.ReadAllTextAsync(settingsPath))!;
        await using var host = await StartAsync(settings);
        Console.WriteLine($"{AnswerPrefix}{host.BaseAddress}");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(AnswerPrefix + JsonSerializer.Serialize(new WorkerStats(host.StorageRequests, self.PeakWorkingSet64 / 1024.0 / 1024.0, self.WorkingSet64 / 1024.0 / 1024.0)));
            }
        }

        return 0;
    }
}

public sealed record WorkerStats(long StorageRequests, double PeakMb, double CurrentMb);
