using System.Globalization;
using System.Text;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Actions;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web;

using Dialoog.Core.Invitations;

namespace Dialoog.Web.Api;

/// <summary>
/// What personal links need beside the Razor pages under Web/Pages/Link: the minutes upload and download, the calendar
/// file, and the answer to a link that is wrong or expired. Opening a link never changes anything (mail scanners open
/// links too); only the form's POST does, and only with the antiforgery token of the page it came from.
/// </summary>
public static class LinkPages
{
    internal const int MaxRemarkLength = 1000;
    private static readonly LinkPurpose[] Purposes =
        [LinkPurpose.Reply, LinkPurpose.Decision, LinkPurpose.Mandate, LinkPurpose.FollowUp, LinkPurpose.MinutesUpload, LinkPurpose.MinutesDownload,
            LinkPurpose.InitiativeConfirmation, LinkPurpose.InitiativeStatus, LinkPurpose.SignUpConfirmation];

    public static IEndpointRouteBuilder MapLinkPages(this IEndpointRouteBuilder routes)
    {
        // The Razor pages under Web/Pages/Link take the kinds of link they are for; these answer the rest, and every
        // token that is wrong or expired.
        routes.MapGet("/l/{token}", ShowAsync).ExcludeFromDescription().WithOrder(1);
        routes.MapGet("/l/{token}/agenda.ics", CalendarFileAsync).ExcludeFromDescription();
        routes.MapPost("/l/{token}", SubmitAsync).ExcludeFromDescription().WithOrder(1);
        return routes;
    }

    private static async Task<IResult> ShowAsync(
        string token, HttpContext http, ParticipantLinks links, DurableTaskClient client, MinutesStore minutes,
        CancellationToken cancellationToken)
    {
        if (Read(links, token) is not { } claims)
        {
            return InvalidLink(links, token);
        }

        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: true, cancellationToken);
        if (!IsFor(claims, instance))
        {
            return InvalidLink(links, token);
        }

        // Minutes outlive the process itself: they stay downloadable.
        if (claims.Purpose == LinkPurpose.MinutesDownload)
        {
            return await DownloadAsync(claims, minutes, cancellationToken);
        }

        if (instance?.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Html.Page("Traject niet gevonden", "<p>Dit dialoogtraject bestaat niet meer.</p>", StatusCodes.Status404NotFound);
        }

        if (!instance.IsActive())
        {
            return Html.Page(status.Topic, "<p>Dit dialoogtraject is afgelopen. U hoeft niets meer te doen.</p>");
        }

        return claims.Purpose switch
        {
            LinkPurpose.MinutesUpload => MinutesUploadForm(http, token, claims, status),
            _ => InvalidLink(links, token),
        };
    }

    private static async Task<IResult> SubmitAsync(
        string token, HttpRequest request, ParticipantLinks links, DurableTaskClient client, MinutesStore minutes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Read(links, token) is not { } claims)
        {
            return InvalidLink(links, token);
        }

        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: true, cancellationToken);
        if (!IsFor(claims, instance))
        {
            return InvalidLink(links, token);
        }

        if (!request.HasFormContentType)
        {
            return Html.Page("Dat ging niet goed", "<p>Gebruik het formulier op deze pagina.</p>", StatusCodes.Status400BadRequest);
        }

        // An upload streams through its own reader, which keeps the token for the check; this check would buffer the body.
        if (claims.Purpose != LinkPurpose.MinutesUpload && !await PageFrame.AntiforgeryValidAsync(request.HttpContext))
        {
            return Html.FormExpired();
        }

        if (claims.Purpose is LinkPurpose.MinutesDownload)
        {
            return Html.Page("Dat ging niet goed", "<p>Op deze pagina valt niets te versturen. Er is niets veranderd.</p>", StatusCodes.Status405MethodNotAllowed);
        }

        if (claims.Purpose == LinkPurpose.MinutesUpload)
        {
            return await UploadMinutesAsync(claims, request, client, minutes, time, cancellationToken);
        }

        // Decisions, mandates and every participant's form are answered by the Razor pages under Web/Pages/Link.
        return InvalidLink(links, token);
    }

    private static async Task<IResult> CalendarFileAsync(
        string token, string? s, ParticipantLinks links, DurableTaskClient client, ParticipantDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (links.TryRead(token, LinkPurpose.Reply, out var claims) != LinkProblem.None || claims is null)
        {
            return InvalidLink(links, token);
        }

        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: true, cancellationToken);
        if (!IsFor(claims, instance))
        {
            return InvalidLink(links, token);
        }

        var status = instance?.ReadCustomStatusAs<ProcessStatus>();
        var session = status?.Sessions.FirstOrDefault(x => x.Id == s);
        var participant = await directory.FindAsync(claims.ProcessId, claims.Subject, cancellationToken);
        if (status is null || session is null || participant is null || instance?.ReadInputAs<DialogueProcessInput>()?.Definition is not { } definition)
        {
            return Html.Page("Niet gevonden", "<p>Deze bijeenkomst bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        var calendarEvent = new Core.Calendar.CalendarEvent(
            $"{claims.ProcessId}-{session.Id}@dialoog", session.Sequence, $"{session.Title} – {status.Topic}", definition.Description ?? status.Topic,
            session.StartUtc, session.EndUtc, session.Location, session.OnlineLink,
            new Core.Email.MailAddress(definition.Coordinator.Name, definition.Coordinator.Email), session.State == "cancelled");
        var files = await new Core.Calendar.IcsSessionCalendar(time).AttachmentsForAsync(calendarEvent, new Core.Email.MailAddress(participant.Name, participant.Email), cancellationToken);
        return Results.File(files[0].Content, "text/calendar; charset=utf-8", $"{session.Id}.ics");
    }

    private static IResult MinutesUploadForm(HttpContext http, string token, LinkClaims claims, ProcessStatus status)
    {
        if (status.Sessions.FirstOrDefault(s => s.Id == claims.Subject) is not { } session)
        {
            return Html.Page("Niet gevonden", "<p>Deze bijeenkomst bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Het verslag van <strong>{Html.Encode(session.Title)}</strong> ({Html.Encode(status.Topic)}).</p>");
        if (session.MinutesVersion > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\">Er is al een verslag (versie {session.MinutesVersion}). Een nieuwe upload gaat als verbeterde versie naar de deelnemers.</p>");
        }

        body.Append(PageFrame.FormStart(http, "/l/" + token, multipart: true)).Append(MinutesFields.Html);
        body.Append("<p><button type=\"submit\">Verslag versturen</button></p></form>");
        body.Append(PageFrame.NextStep("Het verslag gaat naar de deelnemers die er waren. Iedere afspraak krijgt een eigenaar; die krijgt een link om de voortgang door te geven, en herinneringen."));
        return Html.Page("Verslag uploaden", body.ToString());
    }

    /// <summary>
    /// The facilitator's upload goes through the API's reader: the size limit holds while the body streams in (nothing
    /// is buffered whole), and the file, the actions and the uploader's name meet the same checks. Nothing is stored
    /// unless all of it is right and the form's antiforgery token is valid.
    /// </summary>
    private static async Task<IResult> UploadMinutesAsync(LinkClaims claims, HttpRequest request, DurableTaskClient client, MinutesStore minutes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await MinutesEndpoints.SessionProblemAsync(client, claims.ProcessId, claims.Subject, time, cancellationToken) is { } problem)
        {
            return Html.Page(problem.ProblemDetails.Title ?? "Dat kan niet", $"<p>{Html.Encode(problem.ProblemDetails.Detail ?? "")}</p>", problem.StatusCode);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var shape = new MinutesUploadForm { ActionsAsLines = true, TokenField = PageFrame.AntiforgeryField(request.HttpContext) };
        var read = await MinutesUploadReader.ReadAsync(request, now, shape, cancellationToken);
        if (read.Upload is not { } upload)
        {
            // Refused input changes nothing, so it can be explained without the token (a form cut off at the size limit has none).
            return NotSent(read.Errors);
        }

        if (!await PageFrame.AntiforgeryValidAsync(request.HttpContext, read.FormToken))
        {
            return Html.FormExpired();
        }

        var uploadedBy = upload.UploadedBy ?? "gespreksbegeleider (link)";
        var (stored, errors) = await MinutesEndpoints.AcceptAsync(
            client, minutes, claims.ProcessId, claims.Subject, upload.FileName, upload.Content, upload.Actions, uploadedBy, now, cancellationToken);
        if (stored is null)
        {
            return NotSent(errors);
        }

        var actions = upload.Actions.Count;
        return Html.Page("Dank u wel", $"<p>Het verslag is opgeslagen (versie {stored.Version}) en gaat naar de deelnemers. {(actions == 1 ? "1 afspraak wordt" : $"{actions} afspraken worden")} gevolgd.</p>");
    }

    private static IResult NotSent(IReadOnlyDictionary<string, string[]> errors)
    {
        var list = string.Concat(errors.SelectMany(e => e.Value).Select(m => $"<li>{Html.Encode(m)}</li>"));
        return Html.Page("Nog niet verstuurd", $"<ul>{list}</ul><p>Er is niets opgeslagen. Ga terug en pas het aan.</p>", StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> DownloadAsync(LinkClaims claims, MinutesStore minutes, CancellationToken cancellationToken)
    {
        var parts = claims.Subject.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || await minutes.GetAsync(claims.ProcessId, parts[1], version, cancellationToken) is not { } stored)
        {
            return Html.Page("Verslag niet gevonden", "<p>Dit verslag is er niet (meer). Neem contact op met de coördinator.</p>", StatusCodes.Status404NotFound);
        }

        var stream = await minutes.OpenReadAsync(stored, cancellationToken);
        return stream is null
            ? Html.Page("Verslag niet gevonden", "<p>Dit verslag is er niet (meer). Neem contact op met de coördinator.</p>", StatusCodes.Status404NotFound)
            : Results.File(stream, stored.ContentType, stored.FileName);
    }

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private static LinkClaims? Read(ParticipantLinks links, string token)
    {
        foreach (var purpose in Purposes)
        {
            if (links.TryRead(token, purpose, out var claims) == LinkProblem.None)
            {
                return claims;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the link was made for <paramref name="process"/>, the process that has its id now (the parent process for
    /// follow-up and minutes links). A process purged and started again under the same id has another nonce, so the
    /// old process's links never act on it. No process: nothing to confuse it with; the page says it is gone.
    /// </summary>
    internal static bool IsFor(LinkClaims claims, OrchestrationMetadata? process) =>
        process is null || ProcessNonce.Matches(claims, process.ReadInputAs<DialogueProcessInput>()?.Nonce);

    private static IResult InvalidLink(ParticipantLinks links, string token)
    {
        var expired = Purposes.Any(p => links.TryRead(token, p, out _) == LinkProblem.Expired);
        return expired
            ? Html.Page("Link verlopen", "<p>Deze link is verlopen. Er is niets veranderd. Neem contact op met de coördinator als u nog iets wilt doorgeven.</p>", StatusCodes.Status410Gone)
            : Html.Page("Link niet geldig", "<p>Deze link klopt niet. Misschien is hij niet helemaal gekopieerd. Gebruik de link uit uw e-mail. Er is niets veranderd.</p>", StatusCodes.Status400BadRequest);
    }
}
