using Dialoog.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Privacy;

/// <summary>Settings under <c>Privacy__</c>.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>How often the worker looks for processes whose retention is over (pull mode); zero turns it off.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

public static class PrivacyRegistration
{
    /// <summary>The AVG service (export, erasure, retention purge) for every host.</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddValidatedOptions<PrivacyOptions>(PrivacyOptions.Section, new PrivacyOptionsValidator());
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<StoredDataScrubber>();
        return services;
    }

    /// <summary>
    /// The retention purge every <c>Privacy__PurgeInterval</c>, inside the app. For a host that runs alone (locally); in
    /// Azure the Functions app's timer purges and the web app's interval is zero.
    /// </summary>
    public static IServiceCollection AddRetentionPurgeLoop(this IServiceCollection services) =>
        services.AddHostedService<RetentionPurgeService>();
}

internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions options) =>
        options.PurgeInterval < TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Setting 'Privacy__PurgeInterval' must be zero (off) or a positive time, e.g. 01:00:00.")
            : ValidateOptionsResult.Success;
}

/// <summary>Locally no timer function calls the purge: the app runs it itself every interval.</summary>
internal sealed class RetentionPurgeService(PrivacyService privacy, IOptions<PrivacyOptions> options, TimeProvider time, ILogger<RetentionPurgeService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PurgeInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await privacy.PurgeExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Retention purge failed; trying again in {Interval}.", interval);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
