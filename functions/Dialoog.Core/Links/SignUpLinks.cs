namespace Dialoog.Core.Links;

/// <summary>
/// The public sign-up page of a process (<c>/meedoen/{processId}</c>), in one place so the printed letter, its QR code
/// and the page itself agree. Not a personal link: anyone with the letter may use it.
/// </summary>
public static class SignUpLinks
{
    /// <summary>The route the sign-up page answers on.</summary>
    public const string Route = "/meedoen/{processId}";

    private const string Https = "https://";

    /// <summary>The path of the sign-up page of <paramref name="processId"/>, e.g. <c>/meedoen/dlg-0123456789abcdef</c>.</summary>
    public static string PathFor(string processId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        return "/meedoen/" + Uri.EscapeDataString(processId);
    }

    /// <summary>The absolute URL under <c>Dialoog__PublicBaseUrl</c> (a trailing slash there is allowed).</summary>
    public static string UrlFor(string publicBaseUrl, string processId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicBaseUrl);
        return publicBaseUrl.TrimEnd('/') + PathFor(processId);
    }

    /// <summary>
    /// The URL as printed for people to type: without <c>https://</c>, which every browser adds by itself. An http URL
    /// (local development) keeps its scheme, since the browser would otherwise try https.
    /// </summary>
    public static string ForDisplay(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.StartsWith(Https, StringComparison.OrdinalIgnoreCase) ? url[Https.Length..] : url;
    }
}
