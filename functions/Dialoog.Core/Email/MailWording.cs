using System.Globalization;
using System.Resources;
using Dialoog.Core.Localization;

namespace Dialoog.Core.Email;

/// <summary>The words of one kind of e-mail; the composer places them.</summary>
/// <param name="Intro">What this e-mail is about, in short sentences.</param>
/// <param name="FactsLead">Introduces <see cref="MailContent.Facts"/> (shown only when there are facts).</param>
/// <param name="LinksLead">Introduces the links (shown only when there are links).</param>
/// <param name="Deadline">Until when the reader can act or change the answer (shown only with a deadline).</param>
/// <param name="Next">What happens next.</param>
/// <param name="NoteLabel">Labels <see cref="MailContent.Note"/> when the kind gives it a meaning of its own; null: the usual label.</param>
/// <param name="NotePlace">Where <see cref="MailContent.Note"/> goes.</param>
internal sealed record KindWording(
    string Subject,
    IReadOnlyList<string> Intro,
    string? FactsLead,
    string? LinksLead,
    string? Deadline,
    IReadOnlyList<string> Next,
    string? NoteLabel = null,
    NotePlace NotePlace = NotePlace.BeforeFacts);

/// <summary>Where an e-mail shows <see cref="MailContent.Note"/>, as "label: note".</summary>
internal enum NotePlace
{
    /// <summary>Before the facts: the note explains the whole e-mail (a cancellation's reason).</summary>
    BeforeFacts,

    /// <summary>After the facts: the note belongs to the item the facts name (a stuck action's reason).</summary>
    AfterFacts,

    /// <summary>Not on its own: the note is a code or a name that the sentences already use.</summary>
    InSentences,
}

/// <summary>
/// Everything the reader sees, per language, read from <c>MailText.resx</c> (Dutch, B1: short sentences, everyday
/// words, "u"), <c>MailText.en.resx</c> and <c>MailText.ar.resx</c>. Sentences hold named placeholders
/// (<c>{topic}</c>, <c>{deadline}</c>, …); this class decides which sentences an e-mail needs and fills them in.
/// </summary>
internal sealed partial class MailWording
{
    /// <summary><see cref="MailContent.ItemKind"/> of an action: an agreement someone made in a session.</summary>
    public const string Action = "action";

    /// <summary><see cref="MailContent.ItemKind"/> of an initiative a resident or partner submitted.</summary>
    public const string Initiative = "initiative";

    /// <summary>The e-mail texts: MailText.resx is Dutch, the others are named after their language.</summary>
    internal static readonly ResourceManager Resources = new("Dialoog.Core.Email.MailText", typeof(MailWording).Assembly);

    public static readonly MailWording Dutch = new("nl", "nl-NL");
    public static readonly MailWording English = new("en", "en-GB");
    public static readonly MailWording Arabic = new("ar", "ar");

    /// <summary>Every language an e-mail can be written in.</summary>
    public static readonly IReadOnlyList<MailWording> All = [Dutch, English, Arabic];

    private readonly ResourceText texts;

    private MailWording(string language, string dateCulture)
    {
        Language = language;
        texts = new(Resources, CultureInfo.GetCultureInfo(language));
        DateCulture = CultureInfo.GetCultureInfo(dateCulture);
    }

    /// <summary>The value of the HTML lang attribute, and the culture the texts are looked up in.</summary>
    public string Language { get; }

    /// <summary>True for a language written right to left (Arabic): the HTML gets <c>dir="rtl"</c>.</summary>
    public bool RightToLeft => texts.Culture.TextInfo.IsRightToLeft;

    /// <summary>Day and month names: "dinsdag 8 december 2026", "Tuesday 8 December 2026".</summary>
    public CultureInfo DateCulture { get; }

    public string SessionsHeading => Text("SessionsHeading");

    public string DescriptionHeading => Text("DescriptionHeading");

    public string When => Text("When");

    public string Where => Text("Where");

    public string PlaceToFollow => Text("PlaceToFollow");

    public string Online => Text("Online");

    public string JoinOnline => Text("JoinOnline");

    public string CancelledMark => Text("CancelledMark");

    public string ChangedMark => Text("ChangedMark");

    public string NoteLabel => Text("NoteLabel");

    public string Closing => Text("Closing");

    /// <summary>Signs e-mails that the system writes on its own behalf (escalations to the coordinator).</summary>
    public string SystemName => Text("SystemName");

    /// <summary>The link to the privacy statement at the foot of every e-mail to a participant.</summary>
    public string PrivacyLink => Text("PrivacyLink");

    /// <summary>Leads the contact line for people outside the process team: "Questions? Please contact".</summary>
    public string ContactLead => Text("ContactLead");

    /// <summary>Leads the contact line in e-mails to the coordinator or their escalation contact.</summary>
    public string CoordinatorLead => Text("CoordinatorLead");

    /// <summary>The wording for a language code (<c>nl</c>, <c>en</c>, <c>ar</c>, or a regional variant of them), or null.</summary>
    public static MailWording? For(string? language) => language?.ToUpperInvariant() switch
    {
        "NL" or "NL-NL" or "NL-BE" => Dutch,
        "EN" or "EN-GB" or "EN-US" => English,
        "AR" => Arabic,
        _ => null,
    };

    public string Greeting(string name) => Text("Greeting", new() { ["name"] = name });

    /// <returns>The label, or null for a key this language has no words for.</returns>
    public string? LinkLabel(string key) => texts.Find("Link_" + key);

    /// <summary>A reply as the reader would say it ("Ja, ik kom"); an unknown value is shown as it is.</summary>
    public string Answer(string answer) => LinkLabel(answer) ?? answer;

    /// <summary>A date or time pattern, or a sentence with placeholders, of this language (see MailDates).</summary>
    public string Text(string key, Dictionary<string, string?>? values = null) => texts.Get(key, values);

    public KindWording For(MailKind kind, MailContent content, string? deadline)
    {
        var initiative = content.ItemKind == Initiative;
        var item = initiative ? "Item_initiative_" : "Item_action_";
        var note = string.IsNullOrWhiteSpace(content.Note) ? null : content.Note.Trim();
        var yours = Text(item + "Yours");
        var values = new Dictionary<string, string?>
        {
            ["topic"] = content.Topic,
            ["area"] = content.Area,
            ["coordinator"] = content.CoordinatorName,
            ["deadline"] = deadline,
            ["note"] = note,
            ["answer"] = content.CurrentAnswer is { } answer ? Answer(answer) : null,
            ["item"] = yours,
            ["Item"] = yours.Length == 0 ? yours : char.ToUpperInvariant(yours[0]) + yours[1..],
            ["itemThe"] = Text(item + "The"),
            ["itemOne"] = Text(item + "One"),
            ["holder"] = Text(item + "Holder"),
        };
        values["decision"] = Text(Decision(note));
        return Kind(kind, content, deadline, note, initiative, key => Text(key, values));
    }
}
