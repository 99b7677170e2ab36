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
/// The pages behind personal links: a participant's reply, a decision on an escalation, a manager's mandate. Opening a
/// link never changes anything (mail scanners open links too); only the form's POST does, and only with the
/// antiforgery token of the page it came from. Each page says plainly what happens next.
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
        string token, string? k, HttpContext http, ParticipantLinks links, DurableTaskClient client, MinutesStore minutes,
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
            LinkPurpose.Decision => DecisionForm(http, token, k, claims, status),
            LinkPurpose.MinutesUpload => MinutesUploadForm(http, token, claims, status),
            LinkPurpose.Mandate => MandateForm(http, token, claims, instance, status),
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

        var form = await request.ReadFormAsync(cancellationToken);
        if (instance is null || !instance.IsActive() || instance.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Html.Page("Traject is afgelopen", "<p>Dit dialoogtraject loopt niet meer. Er is niets veranderd.</p>", StatusCodes.Status409Conflict);
        }

        var remark = form["opmerking"].ToString().Trim();
        if (remark.Length > MaxRemarkLength)
        {
            return Html.Page("Opmerking te lang", $"<p>Uw opmerking mag maximaal {MaxRemarkLength} tekens hebben. Er is niets opgeslagen. Ga terug en maak de opmerking korter.</p>", StatusCodes.Status400BadRequest);
        }

        switch (claims.Purpose)
        {
            case LinkPurpose.Decision:
                var choice = form["keuze"].ToString();
                if (!DecisionChoices.All.Contains(choice))
                {
                    return Html.Page("Kies wat er moet gebeuren", "<p>Kies een van de mogelijkheden. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                if (status.Escalations.FirstOrDefault(e => e.Id == claims.Subject) is not { Decision: null })
                {
                    return Html.Page("Er is al gekozen", "<p>Voor deze vraag is al een keuze gemaakt. Er is niets veranderd.</p>", StatusCodes.Status409Conflict);
                }

                await client.SignalAsync(claims.ProcessId,
                    new DecisionSignal(claims.Subject, choice, null, "link in e-mail", remark.Length == 0 ? null : remark), cancellationToken);
                return Html.Page("Dank u wel", $"<p>Uw keuze is doorgegeven: <strong>{Html.Encode(DialogueChoiceText(choice))}</strong>.</p><p>Het traject gaat nu verder. U ziet het resultaat op het dashboard.</p>");

            case LinkPurpose.Mandate:
                var mandate = form["mandaat"].ToString();
                if (mandate is not ("ja" or "nee") || !int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var group))
                {
                    return Html.Page("Kies ja of nee", "<p>Geef aan of u het mandaat geeft. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                await client.SignalAsync(claims.ProcessId, new MandateSignal(group, mandate == "ja", remark.Length == 0 ? null : remark), cancellationToken);
                return Html.Page("Dank u wel", "<p>Uw antwoord over het mandaat is doorgegeven aan de coördinator.</p>");

            default:
                return InvalidLink(links, token);
        }
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

    private static IResult DecisionForm(HttpContext http, string token, string? key, LinkClaims claims, ProcessStatus status)
    {
        if (status.Escalations.FirstOrDefault(e => e.Id == claims.Subject) is not { } escalation)
        {
            return Html.Page("Geen open vraag", "<p>Deze vraag bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        if (escalation.Decision is not null)
        {
            return Html.Page("Er is al gekozen", $"<p>Voor deze vraag is al gekozen: <strong>{Html.Encode(DialogueChoiceText(escalation.Decision))}</strong> (door {Html.Encode(escalation.DecidedBy ?? "onbekend")}).</p>");
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Bij de dialoog over <strong>{Html.Encode(status.Topic)}</strong> zijn niet alle groepen vertegenwoordigd:</p><ul>");
        foreach (var fact in escalation.Facts)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li>{Html.Encode(fact)}</li>");
        }

        body.Append("</ul>").Append(PageFrame.FormStart(http, "/l/" + token)).Append("<fieldset class=\"choices\"><legend>Wat moet er gebeuren?</legend>");
        foreach (var choice in DecisionChoices.All)
        {
            var check = choice == key ? " checked" : "";
            body.Append(CultureInfo.InvariantCulture, $"<label><input type=\"radio\" name=\"keuze\" value=\"{choice}\"{check}> {Html.Encode(DialogueChoiceText(choice))}</label>");
        }

        body.Append("</fieldset>").Append(RemarkAndSubmit("Toelichting (mag leeg blijven)", "Keuze doorgeven"));
        body.Append(PageFrame.NextStep("Het traject gaat verder met uw keuze. Kiest niemand op tijd, dan hoort uw leidinggevende het."));
        return Html.Page("Uw keuze is nodig", body.ToString());
    }

    private static IResult MandateForm(HttpContext http, string token, LinkClaims claims, OrchestrationMetadata instance, ProcessStatus status)
    {
        var definition = instance.ReadInputAs<DialogueProcessInput>()?.Definition;
        var groupName = int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && definition is not null && index < definition.Groups.Count
            ? definition.Groups[index].Name
            : "uw organisatie";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Medewerkers van <strong>{Html.Encode(groupName)}</strong> doen mee in het team voor <strong>{Html.Encode(status.Topic)}</strong> ({Html.Encode(status.Area)}).</p>");
        body.Append("<p>Geeft u hen het mandaat om namens uw organisatie afspraken te maken?</p>");
        body.Append(PageFrame.FormStart(http, "/l/" + token)).Append("<fieldset class=\"choices\"><legend>Mandaat</legend>");
        body.Append("<label><input type=\"radio\" name=\"mandaat\" value=\"ja\"> Ja, ik geef het mandaat</label>");
        body.Append("<label><input type=\"radio\" name=\"mandaat\" value=\"nee\"> Nee, (nog) niet</label></fieldset>");
        body.Append(RemarkAndSubmit("Toelichting (mag leeg blijven)", "Versturen"));
        body.Append(PageFrame.NextStep("De coördinator ziet uw antwoord. Zonder mandaat telt uw organisatie nog niet mee aan tafel."));
        return Html.Page("Mandaat bevestigen", body.ToString());
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

    /// <summary>The optional remark box and the submit button that end every link form.</summary>
    private static string RemarkAndSubmit(string label, string button) =>
        $"<div class=\"field\"><label for=\"opmerking\">{label}</label><textarea id=\"opmerking\" name=\"opmerking\" rows=\"3\" maxlength=\"{MaxRemarkLength}\"></textarea></div>"
        + $"<p><button type=\"submit\">{button}</button></p></form>";

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

    private static string DialogueChoiceText(string choice) => choice switch
    {
        DecisionChoices.ExtendDeadline => "De reactietermijn verlengen",
        DecisionChoices.InviteMore => "Meer mensen uitnodigen (daarna de termijn verlengen)",
        DecisionChoices.GoAhead => "Toch doorgaan",
        DecisionChoices.Cancel => "Het traject stoppen",
        _ => choice,
    };
}
