namespace Dialoog.Core.Email;

/// <summary>
/// Writes every kind of e-mail in Dutch (B1), English or Arabic, as HTML and as plain text with the same content. The
/// words come from MailText.resx per language (see <see cref="MailWording"/>). Pure: no I/O, no clock, so the same
/// content always gives the same e-mail.
/// </summary>
public static class MailComposer
{
    /// <summary>Kinds that are about going to a session: they always show when and where.</summary>
    private static readonly HashSet<MailKind> NeedsSessions =
    [
        MailKind.Invitation, MailKind.ReplyReminder, MailKind.PromotedFromWaitlist, MailKind.SessionReminder,
        MailKind.SessionChanged, MailKind.SessionCancelled,
        MailKind.MinutesRequest, MailKind.MinutesReminder, MailKind.MinutesEscalation, MailKind.MinutesAvailable, MailKind.MinutesCorrected,
    ];

    /// <summary>Kinds the coordinator or their escalation contact receive; the others go to participants and managers.</summary>
    private static readonly HashSet<MailKind> ToProcessTeam =
    [
        MailKind.RepresentationEscalation, MailKind.EscalationContactNotice, MailKind.DefaultDecisionApplied,
        MailKind.MinutesEscalation, MailKind.ActionEscalation, MailKind.ProgressReport, MailKind.ProcessSummary,
    ];

    /// <summary>Kinds about an action or initiative: their deadline is a due date, shown without the hour.</summary>
    private static readonly HashSet<MailKind> DueDateOnly =
    [
        MailKind.ActionAssigned, MailKind.ActionReminder, MailKind.ActionStalled, MailKind.ActionEscalation, MailKind.ActionClosed,
    ];

    /// <exception cref="ArgumentException">
    /// The language is not <c>nl</c>, <c>en</c> or <c>ar</c>, a link key has no label, a link is not an http(s) address, a kind
    /// that is about a session has no session, or the item kind is not <c>action</c> or <c>initiative</c>.
    /// </exception>
    public static ComposedMail Compose(MailContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var words = MailWording.For(content.Language)
            ?? throw new ArgumentException($"Language '{content.Language}' is not supported; use 'nl', 'en' or 'ar'.", nameof(content));
        if (NeedsSessions.Contains(content.Kind) && content.Sessions.Count == 0)
        {
            throw new ArgumentException($"An e-mail of kind {content.Kind} needs at least one session.", nameof(content));
        }

        if (content.ItemKind is not (null or MailWording.Action or MailWording.Initiative))
        {
            throw new ArgumentException($"Item kind '{content.ItemKind}' is not supported; use 'action' or 'initiative'.", nameof(content));
        }

        var deadline = content.ReplyDeadlineUtc is { } due ? Deadline(content.Kind, due, words) : null;
        var kind = words.For(content.Kind, content, deadline);
        var blocks = Blocks(content, words, kind, deadline is not null).ToList();
        return new ComposedMail(kind.Subject, MailLayout.Html(words.Language, words.RightToLeft, kind.Subject, blocks), MailLayout.Text(blocks));
    }

    private static IEnumerable<MailBlock> Blocks(MailContent content, MailWording words, KindWording kind, bool hasDeadline)
    {
        yield return new ParagraphBlock(words.Greeting(content.RecipientName));
        foreach (var line in kind.Intro)
        {
            yield return new ParagraphBlock(line);
        }

        if (content.Kind == MailKind.Invitation && !string.IsNullOrWhiteSpace(content.Description))
        {
            yield return new HeadingBlock(words.DescriptionHeading);
            yield return new ParagraphBlock(content.Description.Trim());
        }

        var note = string.IsNullOrWhiteSpace(content.Note) || kind.NotePlace == NotePlace.InSentences
            ? null
            : new ParagraphBlock($"{kind.NoteLabel ?? words.NoteLabel}: {content.Note.Trim()}");
        if (note is not null && kind.NotePlace == NotePlace.BeforeFacts)
        {
            yield return note;
        }

        if (kind.FactsLead is { } factsLead && content.Facts.Count > 0)
        {
            yield return new ParagraphBlock(factsLead);
            yield return new ListBlock(content.Facts);
        }

        if (note is not null && kind.NotePlace == NotePlace.AfterFacts)
        {
            yield return note;
        }

        if (content.Sessions.Count > 0)
        {
            yield return new HeadingBlock(words.SessionsHeading);
            foreach (var session in content.Sessions)
            {
                yield return Session(session, words);
            }
        }

        if (content.Links.Count > 0)
        {
            if (kind.LinksLead is { } linksLead)
            {
                yield return new ParagraphBlock(linksLead);
            }

            yield return new LinksBlock(content.Links.Select(link => new LinkItem(Label(link, words), CheckedUrl(link.Url))).ToList());
        }

        if (hasDeadline && kind.Deadline is { } deadline)
        {
            yield return new ParagraphBlock(deadline);
        }

        foreach (var line in kind.Next)
        {
            yield return new ParagraphBlock(line);
        }

        var toTeam = ToProcessTeam.Contains(content.Kind);
        yield return new ContactBlock(toTeam ? words.CoordinatorLead : words.ContactLead, content.CoordinatorName, content.CoordinatorEmail);
        yield return new SignatureBlock(words.Closing, toTeam ? words.SystemName : content.CoordinatorName);
        if (!toTeam && content.PrivacyUrl is { } privacy)
        {
            yield return new LinksBlock([new LinkItem(words.PrivacyLink, CheckedUrl(privacy))]);
        }
    }

    /// <summary>A due date of an action or initiative without the hour; any other deadline with it.</summary>
    private static string Deadline(MailKind kind, DateTime dueUtc, MailWording words) =>
        DueDateOnly.Contains(kind) ? MailDates.Date(dueUtc, words) : MailDates.Moment(dueUtc, words);

    private static SessionBlock Session(MailSession session, MailWording words)
    {
        var rows = new List<SessionRow> { new(words.When, MailDates.Span(session.StartUtc, session.EndUtc, words)) };
        if (!string.IsNullOrWhiteSpace(session.Location))
        {
            rows.Add(new(words.Where, session.Location.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(session.OnlineLink))
        {
            // A link the coordinator typed that is not a web address is shown as text, never made clickable.
            var link = session.OnlineLink.Trim();
            rows.Add(IsWebAddress(link) ? new(words.Online, words.JoinOnline, link) : new(words.Online, link));
        }

        if (rows.Count == 1)
        {
            rows.Add(new(words.Where, words.PlaceToFollow));
        }

        var mark = session.Cancelled ? words.CancelledMark : session.Changed ? words.ChangedMark : null;
        return new SessionBlock(session.Title, mark, rows);
    }

    private static string Label(MailLink link, MailWording words) =>
        words.LinkLabel(link.Key) ?? throw new ArgumentException($"Link key '{link.Key}' has no label.", nameof(link));

    private static string CheckedUrl(string url) =>
        IsWebAddress(url) ? url : throw new ArgumentException($"Link '{url}' is not an absolute http or https address.", nameof(url));

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
