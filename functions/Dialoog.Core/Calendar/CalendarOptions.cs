using Dialoog.Core.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Calendar;

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
        public const string ClientSecretCredential = "ClientSecret";
        public const string CertificateCredential = "Certificate";
        public const string ManagedIdentityCredential = "ManagedIdentity";

        /// <summary>How the app proves who it is: <c>ClientSecret</c>, <c>Certificate</c> or <c>ManagedIdentity</c>.</summary>
        public string Credential { get; set; } = ClientSecretCredential;

        public string TenantId { get; set; } = "";

        /// <summary>The app registration; with a managed identity, a user-assigned identity's client id (empty: system-assigned).</summary>
        public string ClientId { get; set; } = "";

        /// <summary>A secret: never logged.</summary>
        public string ClientSecret { get; set; } = "";

        /// <summary>A .pfx (or .pem with its key) file of the app registration's certificate.</summary>
        public string CertificatePath { get; set; } = "";

        /// <summary>Password of the .pfx, if it has one. A secret: never logged.</summary>
        public string CertificatePassword { get; set; } = "";

        /// <summary>The mailbox that organizes the events and so receives the replies.</summary>
        public string OrganizerMailbox { get; set; } = "";

        /// <summary>Graph's v1.0 endpoint; only tests (a loopback stand-in) or a national cloud change it.</summary>
        public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

        /// <summary>Where tokens come from; only a national cloud changes it.</summary>
        public string AuthorityHost { get; set; } = "https://login.microsoftonline.com/";

        /// <summary>How often replies made in Outlook are read back; zero switches the built-in polling off.</summary>
        public TimeSpan ReplyPollInterval { get; set; } = TimeSpan.FromMinutes(5);

        public bool UsesClientSecret => string.Equals(Credential, ClientSecretCredential, StringComparison.OrdinalIgnoreCase);

        public bool UsesCertificate => string.Equals(Credential, CertificateCredential, StringComparison.OrdinalIgnoreCase);

        public bool UsesManagedIdentity => string.Equals(Credential, ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase);
    }
}

internal sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    private const string ProviderKey = "Calendar__Provider";
    private const string CredentialKey = "Calendar__Graph__Credential";

    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        if (!options.UsesGraph)
        {
            return string.Equals(options.Provider, CalendarOptions.IcsProvider, StringComparison.OrdinalIgnoreCase)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(SettingRules.OneOf(ProviderKey, options.Provider, CalendarOptions.IcsProvider, CalendarOptions.GraphProvider));
        }

        var graph = options.Graph;
        var failures = Missing(ProviderKey, CalendarOptions.GraphProvider, ("Calendar__Graph__OrganizerMailbox", graph.OrganizerMailbox)).ToList();
        if (graph.UsesClientSecret)
        {
            failures.AddRange(Missing(CredentialKey, graph.Credential,
                ("Calendar__Graph__TenantId", graph.TenantId), ("Calendar__Graph__ClientId", graph.ClientId), ("Calendar__Graph__ClientSecret", graph.ClientSecret)));
        }
        else if (graph.UsesCertificate)
        {
            failures.AddRange(Missing(CredentialKey, graph.Credential,
                ("Calendar__Graph__TenantId", graph.TenantId), ("Calendar__Graph__ClientId", graph.ClientId), ("Calendar__Graph__CertificatePath", graph.CertificatePath)));
            if (!string.IsNullOrWhiteSpace(graph.CertificatePath) && !File.Exists(graph.CertificatePath))
            {
                failures.Add($"Setting 'Calendar__Graph__CertificatePath' names a file that does not exist ('{graph.CertificatePath}').");
            }
        }
        else if (!graph.UsesManagedIdentity)
        {
            failures.Add(SettingRules.OneOf(CredentialKey, graph.Credential,
                CalendarOptions.GraphSettings.ClientSecretCredential, CalendarOptions.GraphSettings.CertificateCredential, CalendarOptions.GraphSettings.ManagedIdentityCredential));
        }

        foreach (var (key, value) in new[] { ("Calendar__Graph__BaseUrl", graph.BaseUrl), ("Calendar__Graph__AuthorityHost", graph.AuthorityHost) })
        {
            if (!SettingRules.IsHttpUrl(value))
            {
                failures.Add($"Setting '{key}' must be an absolute http(s) URL (found '{value}').");
            }
        }

        if (graph.ReplyPollInterval < TimeSpan.Zero)
        {
            failures.Add($"Setting 'Calendar__Graph__ReplyPollInterval' must be zero (off) or positive (found '{graph.ReplyPollInterval}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Missing(string becauseKey, string becauseValue, params (string Key, string Value)[] settings) =>
        settings.Where(s => string.IsNullOrWhiteSpace(s.Value)).Select(s => SettingRules.RequiredWhen(s.Key, becauseKey, becauseValue));
}

public static class CalendarRegistration
{
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddValidatedOptions<CalendarOptions, CalendarOptionsValidator>(CalendarOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        // The provider is a setting: the choice is made when the calendar is first needed, after validation at start.
        services.AddSingleton<ISessionCalendar>(sp => sp.GetRequiredService<IOptions<CalendarOptions>>().Value.UsesGraph
            ? ActivatorUtilities.CreateInstance<GraphSessionCalendar>(sp)
            : ActivatorUtilities.CreateInstance<IcsSessionCalendar>(sp));
        services.AddGraphCalendar();
        return services;
    }

    /// <summary>
    /// Reads Outlook replies every <c>Calendar__Graph__ReplyPollInterval</c>, inside the app. For a host that runs alone
    /// (locally); in Azure the Functions app's timer reads them.
    /// </summary>
    public static IServiceCollection AddCalendarReplyPolling(this IServiceCollection services) =>
        services.AddHostedService<CalendarReplyPollingService>();
}
