using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Core.Processes;

namespace Dialoog.Benchmarks.Product;

/// <summary>
/// Plays the people around a process over HTTP, the way their browsers and mail clients would: the coordinator's
/// API calls, and participants opening the links in their e-mails and posting the form on the page. Every call is
/// retried on another worker when one is gone (killed, restarting), as a load balancer in front of them would.
/// </summary>
public sealed partial class DialogueDriver(Func<HttpClient> client, string apiKey)
{
    /// <summary>Clients for the driver must not keep cookies themselves (see <see cref="WithCookies"/>).</summary>
    public static HttpMessageHandler Handler() => new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) };

    private const string TokenField = "__RequestVerificationToken";
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Calls that failed and were repeated (a worker died under them, storage restarted, ...).</summary>
    public int Retries => _retries;

    private int _retries;

    /// <summary>Starts a process; the idempotency key makes a retry after a lost answer return the same process.</summary>
    public Task<string> SubmitAsync(JsonObject definition, string idempotencyKey) => WithRetriesAsync(async http =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/processes") { Content = JsonContent.Create(new JsonObject { ["definition"] = definition.DeepClone() }) };
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Add(ProcessesApi.IdempotencyKeyHeader, idempotencyKey);
        using var response = await http.SendAsync(request);
        await EnsureAsync(response, HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    });

    public Task<ProcessDetails> DetailsAsync(string id) => WithRetriesAsync(async http =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/processes/{id}");
        request.Headers.Add("X-Api-Key", apiKey);
        using var response = await http.SendAsync(request);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ProcessDetails>(Json))!;
    });

    /// <summary>Opens a link from an e-mail and posts its form with <paramref name="fields"/> (plus the antiforgery token).</summary>
    public Task PostLinkAsync(string link, IDictionary<string, string> fields) => WithRetriesAsync(async http =>
    {
        var uri = new Uri(link);
        using var page = await http.GetAsync(uri.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        await EnsureAsync(page, HttpStatusCode.OK, html);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { [TokenField] = Token(html, uri) });
        using var posted = await http.SendAsync(WithCookies(new HttpRequestMessage(HttpMethod.Post, uri.AbsolutePath) { Content = form }, page));
        await EnsureAsync(posted, HttpStatusCode.OK);
        return true;
    });

    public Task<HttpResponseMessage> PostMultipartAsync(string link, Func<MultipartFormDataContent> build) => WithRetriesAsync(async http =>
    {
        var uri = new Uri(link);
        using var page = await http.GetAsync(uri.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        await EnsureAsync(page, HttpStatusCode.OK, html);
        using var form = build();
        form.Add(new StringContent(Token(html, uri)), TokenField);
        var posted = await http.SendAsync(WithCookies(new HttpRequestMessage(HttpMethod.Post, uri.AbsolutePath) { Content = form }, page));
        await EnsureAsync(posted, HttpStatusCode.OK);
        return posted;
    });

    private static string Token(string html, Uri page)
    {
        var token = ValuePattern().Match(TokenInput().Match(html).Value);
        return token.Success ? WebUtility.HtmlDecode(token.Groups[1].Value) : throw new InvalidOperationException($"No form on {page.AbsolutePath}.");
    }

    /// <summary>
    /// The page's antiforgery cookie on the post, like one browser tab. Kept per call rather than in a shared cookie
    /// jar: parallel first visits would each get a new cookie and overwrite each other's.
    /// </summary>
    private static HttpRequestMessage WithCookies(HttpRequestMessage request, HttpResponseMessage page)
    {
        if (page.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        }

        return request;
    }

    /// <summary>The personal link with <c>k=<paramref name="key"/></c> in an e-mail text, if there is one.</summary>
    public static string? Link(string text, string key) =>
        LinkPattern().Matches(text).Select(m => m.Value).FirstOrDefault(l => l.EndsWith("k=" + key, StringComparison.Ordinal));

    private async Task<T> WithRetriesAsync<T>(Func<HttpClient, Task<T>> call)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(client());
            }
            catch (Exception ex) when (IsTransient(ex) && DateTime.UtcNow < deadline)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * attempt)));
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException or IOException
        || (ex is TransientHttpException);

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string? body = null)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        body ??= await response.Content.ReadAsStringAsync();
        var message = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}";
        // 5xx is the server's trouble (storage restarting, a worker going down): worth another try. 4xx is ours.
        throw (int)response.StatusCode >= 500 ? new TransientHttpException(message) : new InvalidOperationException(message);
    }

    private sealed class TransientHttpException(string message) : Exception(message);

    [GeneratedRegex(@"https?://[^\s""<>]+/l/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\?k=[A-Za-z]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValuePattern();
}
