using System.Globalization;
using Dialoog.Core.Processes.Definition;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dialoog.Web.Participant;

/// <summary>What a participant page shows instead of its form: a result or a refusal, with what happens next.</summary>
public sealed record Notice(string Title, IHtmlContent Body, string? Next = null);

/// <summary>
/// A page a participant sees: no account, in their language (<see cref="ParticipantLanguage"/>), in the participant
/// layout. Antiforgery is checked by the handlers themselves, so an expired form gets a page in plain words, not a bare 400.
/// </summary>
[IgnoreAntiforgeryToken]
public abstract class ParticipantPageModel : PageModel
{
    public string Language { get; private set; } = Languages.Dutch;

    public CultureInfo Culture => ParticipantLanguage.CultureFor(Language);

    public string Direction => ParticipantLanguage.IsRightToLeft(Language) ? "rtl" : "ltr";

    /// <summary>The page's heading and title.</summary>
    public string Title { get; protected set; } = "";

    public Notice? Notice { get; private set; }

    /// <summary>The language switch's choice (<c>?taal=</c>) wins; then the first supported of <paramref name="fallbacks"/>; then Dutch.</summary>
    protected void UseLanguage(params string?[] fallbacks) =>
        Language = ParticipantLanguage.Resolve([Request.Query[ParticipantLanguage.QueryKey].ToString(), .. fallbacks]);

    /// <summary>The text for <paramref name="key"/> in the page's language.</summary>
    public string T(string key, params object?[] args) => ParticipantLanguage.Text(Culture, key, args);

    /// <summary>The text, encoded, as markup.</summary>
    public HtmlString Plain(string key, params object?[] args) => new HtmlString(PageFrame.Encode(T(key, args)));

    /// <summary>
    /// The text with its placeholders filled in: markup made by <see cref="Strong"/> as it is, anything else encoded
    /// (and formatted in the page's culture, so <c>{0:dddd d MMMM}</c> gives the day in the page's language).
    /// </summary>
    public HtmlString Rich(string key, params object?[] args) =>
        new HtmlString(string.Format(Culture, PageFrame.Encode(T(key)), [.. args.Select(a => (object)new HtmlArgument(a))]));

    /// <summary>The text with every placeholder in bold.</summary>
    public HtmlString Bold(string key, params string?[] args) => Rich(key, [.. args.Select(a => (object)Strong(a))]);

    /// <summary>A name or title in bold, isolated so Dutch words keep their order inside Arabic text and the other way round.</summary>
    public static HtmlString Strong(string? text) => new($"<strong><bdi>{PageFrame.Encode(text)}</bdi></strong>");

    /// <summary>An action's or initiative's status in a word: "bezig".</summary>
    public string StatusText(string status) => T(status switch
    {
        Core.Actions.FollowUpStatus.InProgress => "Status_inProgress",
        Core.Actions.FollowUpStatus.Done => "Status_done",
        Core.Actions.FollowUpStatus.Stuck => "Status_stuck",
        Core.Actions.FollowUpStatus.Closed => "Status_closed",
        _ => "Status_open",
    });

    /// <summary>This page's address with the language switched: the other query values (<c>k</c>, <c>s</c>) stay.</summary>
    public string SwitchTo(string language)
    {
        var query = Request.Query.Where(q => q.Key != ParticipantLanguage.QueryKey)
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new(ParticipantLanguage.QueryKey, language));
        return Request.Path + QueryString.Create(query).ToString();
    }

    /// <summary>Where this page's form posts: the same path, keeping a switched language for the answer page.</summary>
    public string PostTo => Request.Path + (Request.Query.ContainsKey(ParticipantLanguage.QueryKey) ? QueryString.Create(ParticipantLanguage.QueryKey, Language).ToString() : "");

    /// <summary>Shows a notice of one paragraph instead of the form, with <paramref name="statusCode"/>.</summary>
    protected IActionResult Show(int statusCode, string title, HtmlString paragraph, string? next = null) =>
        ShowMarkup(statusCode, title, new HtmlString($"<p>{paragraph.Value}</p>"), next);

    /// <summary>Shows what was wrong, one line each (the checks' own words), then what to do.</summary>
    protected IActionResult ShowList(int statusCode, string titleKey, IEnumerable<string> lines, string bodyKey) =>
        ShowMarkup(statusCode, T(titleKey), new HtmlString(
            "<ul>" + string.Concat(lines.Select(line => $"<li>{PageFrame.Encode(line)}</li>")) + $"</ul><p>{PageFrame.Encode(T(bodyKey))}</p>"));

    private PageResult ShowMarkup(int statusCode, string title, HtmlString body, string? next = null)
    {
        Response.StatusCode = statusCode;
        Title = title;
        Notice = new Notice(title, body, next);
        return Page();
    }

    /// <summary>A notice from resource keys; the body's placeholders are filled in bold.</summary>
    protected IActionResult Show(int statusCode, string titleKey, string bodyKey, string? nextKey = null, params string?[] args) =>
        Show(statusCode, T(titleKey), Bold(bodyKey, args), nextKey is null ? null : T(nextKey));

    /// <summary>The answer to a POST that is not this page's form, or whose antiforgery token is missing or stale; null when it is fine.</summary>
    protected async Task<IActionResult?> RefuseForeignPostAsync()
    {
        if (!Request.HasFormContentType)
        {
            return Show(StatusCodes.Status400BadRequest, "Common_WrongRequest_Title", "Common_WrongRequest_Body");
        }

        return await PageFrame.AntiforgeryValidAsync(HttpContext) ? null : Show(StatusCodes.Status400BadRequest, "Common_FormExpired_Title", "Common_FormExpired_Body");
    }
}

/// <summary>A placeholder value in <see cref="ParticipantPageModel.Rich"/>: encoded, unless it is markup we made.</summary>
internal sealed class HtmlArgument(object? value) : IFormattable
{
    public string ToString(string? format, IFormatProvider? formatProvider) => value switch
    {
        HtmlString html => html.Value ?? "",
        IFormattable formattable => PageFrame.Encode(formattable.ToString(format, formatProvider)),
        _ => $"<bdi>{PageFrame.Encode(value?.ToString())}</bdi>",
    };

    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);
}
