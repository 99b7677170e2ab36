using System.Net;
using System.Text.RegularExpressions;

namespace Dialoog.Core.Tests.Testing;

/// <summary>
/// Posts a link page's form the way a browser does: open the page first (it sets the antiforgery cookie and puts the
/// token in the form), then post the fields with that token. The client must keep cookies (HttpClient does).
/// </summary>
internal static partial class LinkForm
{
    public const string TokenField = "__RequestVerificationToken";

    public static async Task<string> TokenAsync(HttpClient client, string pathAndQuery)
    {
        using var page = await client.GetAsync(pathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        return TokenIn(html) ?? throw new InvalidOperationException($"No antiforgery token on {pathAndQuery} ({(int)page.StatusCode}).");
    }

    /// <summary>The antiforgery token in a page's form, or null.</summary>
    public static string? TokenIn(string html)
    {
        // Attribute order differs between the pages built in code and Razor's tag helper.
        var match = ValuePattern().Match(TokenInput().Match(html).Value);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pathAndQuery, IDictionary<string, string> fields)
    {
        var token = await TokenAsync(client, pathAndQuery);
        var withToken = new Dictionary<string, string>(fields) { [TokenField] = token };
        using var content = new FormUrlEncodedContent(withToken);
        return await client.PostAsync(pathAndQuery.Split('?')[0], content);
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pathAndQuery, MultipartFormDataContent form)
    {
        form.Add(new StringContent(await TokenAsync(client, pathAndQuery)), TokenField);
        return await client.PostAsync(pathAndQuery.Split('?')[0], form);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValuePattern();
}
