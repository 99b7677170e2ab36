using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using KiotaAzureAuthentication = Microsoft.Kiota.Authentication.Azure.AzureIdentityAuthenticationProvider;

namespace Dialoog.Core.Calendar;

/// <summary>The Graph client for the organizer mailbox: app-only authentication, one client for the app (Azure SDK guidance).</summary>
public static class GraphConnection
{
    /// <summary>Key of the <see cref="TokenCredential"/> the Graph client uses; tests register their own under it.</summary>
    public const string CredentialKey = "graph";

    /// <summary>App-only: the application permissions granted to the app registration (Calendars.ReadWrite).</summary>
    public const string Scope = "https://graph.microsoft.com/.default";

    /// <summary>The credential the settings ask for. Secrets stay inside the credential; nothing here logs them.</summary>
    public static TokenCredential CreateCredential(CalendarOptions.GraphSettings graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var authority = new Uri(graph.AuthorityHost);
        if (graph.UsesManagedIdentity)
        {
            return new ManagedIdentityCredential(string.IsNullOrWhiteSpace(graph.ClientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(graph.ClientId));
        }

        if (graph.UsesCertificate)
        {
            var certificate = string.IsNullOrEmpty(graph.CertificatePassword)
                ? new ClientCertificateCredential(graph.TenantId, graph.ClientId, graph.CertificatePath, new ClientCertificateCredentialOptions { AuthorityHost = authority })
                : new ClientCertificateCredential(graph.TenantId, graph.ClientId, X509CertificateLoader.LoadPkcs12FromFile(graph.CertificatePath, graph.CertificatePassword), new ClientCertificateCredentialOptions { AuthorityHost = authority });
            return certificate;
        }

        return new ClientSecretCredential(graph.TenantId, graph.ClientId, graph.ClientSecret, new ClientSecretCredentialOptions { AuthorityHost = authority });
    }

    /// <summary>
    /// The SDK's default pipeline, whose retry handler repeats 429, 503 and 504 up to three times, waiting as long as
    /// Retry-After says (other failures reach the activity, whose retry policy takes over). The token is sent only to
    /// the configured Graph host.
    /// </summary>
    public static GraphServiceClient CreateClient(TokenCredential credential, CalendarOptions.GraphSettings graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var baseUrl = new Uri(graph.BaseUrl);
        var authentication = new KiotaAzureAuthentication(credential, [baseUrl.Host], null, true, Scope);
        return new GraphServiceClient(authentication, graph.BaseUrl.TrimEnd('/'));
    }

    internal static IServiceCollection AddGraphCalendar(this IServiceCollection services)
    {
        services.AddKeyedSingleton<TokenCredential>(CredentialKey, (sp, _) => CreateCredential(sp.GetRequiredService<IOptions<CalendarOptions>>().Value.Graph));
        services.AddSingleton(sp => CreateClient(
            sp.GetRequiredKeyedService<TokenCredential>(CredentialKey),
            sp.GetRequiredService<IOptions<CalendarOptions>>().Value.Graph));
        services.AddSingleton<CalendarEventStore>();
        services.AddSingleton<CalendarReplyPoller>();
        return services;
    }
}
