using Dialoog.Functions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions.Calendar;

/// <summary>Settings under <c>Calendar__</c>: how meeting invitations reach calendars.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";
    public const string IcsProvider = "Ics";
    public const string GraphProvider = "Graph";

    /// <summary><c>Ics</c> (an iCalendar file attached to the e-mail) or <c>Graph</c> (Microsoft 365 events).</summary>
    public string Provider { get; set; } = IcsProvider;

    public GraphSettings Graph { get; set; } = new();

    public bool UsesGraph => string.Equals(Provider, GraphProvider, StringComparison.OrdinalIgnoreCase);

    public sealed class GraphSettings
    {
        public string TenantId { get; set; } = "";

        public string ClientId { get; set; } = "";

        /// <summary>Empty means: use a managed identity (not wired yet).</summary>
        public string ClientSecret { get; set; } = "";

        /// <summary>The mailbox that organizes the events and so receives the replies.</summary>
        public string OrganizerMailbox { get; set; } = "";
    }
}

internal sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        if (!options.UsesGraph)
        {
            return string.Equals(options.Provider, CalendarOptions.IcsProvider, StringComparison.OrdinalIgnoreCase)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(SettingRules.OneOf("Calendar__Provider", options.Provider, CalendarOptions.IcsProvider, CalendarOptions.GraphProvider));
        }

        var graph = options.Graph;
        var failures = new (string Key, string Value)[]
            {
                ("Calendar__Graph__TenantId", graph.TenantId),
                ("Calendar__Graph__ClientId", graph.ClientId),
                ("Calendar__Graph__OrganizerMailbox", graph.OrganizerMailbox),
            }
            .Where(setting => string.IsNullOrWhiteSpace(setting.Value))
            .Select(setting => SettingRules.RequiredWhen(setting.Key, "Calendar__Provider", CalendarOptions.GraphProvider))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class CalendarRegistration
{
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddValidatedOptions<CalendarOptions, CalendarOptionsValidator>(CalendarOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        // Microsoft Graph comes later: until then it has no calendar, and asking for one says so.
        services.AddSingleton<ISessionCalendar>(sp => sp.GetRequiredService<IOptions<CalendarOptions>>().Value.UsesGraph
            ? throw new InvalidOperationException($"Calendar__Provider '{CalendarOptions.GraphProvider}' has no calendar yet; use '{CalendarOptions.IcsProvider}'.")
            : ActivatorUtilities.CreateInstance<IcsSessionCalendar>(sp));
        return services;
    }
}
