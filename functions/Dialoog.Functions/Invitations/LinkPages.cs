using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Dialoog.Durable;
using Dialoog.Functions.Actions;
using Dialoog.Functions.Links;
using Dialoog.Functions.Minutes;
using Dialoog.Functions.Processes;
using Dialoog.Functions.Processes.Definition;

namespace Dialoog.Functions.Invitations;

/// <summary>
/// The pages behind personal links: a participant's reply, a decision on an escalation, a manager's mandate. Opening a
/// link never changes anything (mail scanners open links too); only the form's POST does. Plain pages here; the web
/// issue gives them the full design.
/// </summary>
public static class LinkPages
{
    private const int MaxRemarkLength = 1000;
    private static readonly LinkPurpose[] Purposes =
        [LinkPurpose.Reply, LinkPurpose.Decision, LinkPurpose.Mandate, LinkPurpose.FollowUp, LinkPurpose.MinutesUpload, LinkPurpose.MinutesDownload];

    public static IEndpointRouteBuilder MapLinkPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/l/{token}", ShowAsync).ExcludeFromDescription();
        routes.MapPost("/l/{token}", SubmitAsync).ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> ShowAsync(
        string token, string? k, ParticipantLinks links, DurableClient client, ParticipantDirectory directory, FollowUpDirectory followUps, MinutesStore minutes,
        CancellationToken cancellationToken)
    {
        if (Read(links, token) is not { } claims)
        {
            return InvalidLink(links, token);
        }

        // These outlive the process itself: minutes stay downloadable and an action is followed on its own.
        if (claims.Purpose == LinkPurpose.MinutesDownload)
        {
            return await DownloadAsync(claims, minutes, cancellationToken);
        }

        if (claims.Purpose == LinkPurpose.FollowUp)
        {
            return await ProgressFormAsync(token, claims, followUps, cancellationToken);
        }

        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: true, cancellationToken);
        if (instance?.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Html.Page("Traject niet gevonden", "<p>Dit dialoogtraject bestaat niet meer.</p>", StatusCodes.Status404NotFound);
        }

        if (!instance.IsRunning)
        {
            return Html.Page(status.Topic, "<p>Dit dialoogtraject is afgelopen. U hoeft niets meer te doen.</p>");
        }

        return claims.Purpose switch
        {
            LinkPurpose.Reply => await ReplyFormAsync(token, k, claims, status, directory, cancellationToken),
            LinkPurpose.Decision => DecisionForm(token, k, claims, status),
            LinkPurpose.MinutesUpload => MinutesUploadForm(token, claims, status),
            _ => MandateForm(token, claims, instance, status),
        };
    }

    private static async Task<IResult> SubmitAsync(
        string token, HttpRequest request, ParticipantLinks links, DurableClient client, MinutesStore minutes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Read(links, token) is not { } claims)
        {
            return InvalidLink(links, token);
        }

        if (!request.HasFormContentType)
        {
            return Html.Page("Dat ging niet goed", "<p>Gebruik het formulier op deze pagina.</p>", StatusCodes.Status400BadRequest);
        }

        if (claims.Purpose == LinkPurpose.FollowUp)
        {
            var progress = await request.ReadFormAsync(cancellationToken);
            var body = new ProgressBody(progress["status"], progress["opmerking"]);
            var errors = FollowUpEndpoints.Validate(body);
            if (errors.Count > 0)
            {
                return Html.Page("Nog niet verstuurd", "<ul>" + string.Concat(errors.SelectMany(e => e.Value).Select(m => $"<li>{Html.Encode(m)}</li>")) + "</ul><p>Er is niets opgeslagen. Ga terug en vul het formulier aan.</p>", StatusCodes.Status400BadRequest);
            }

            if (await FollowUpEndpoints.SendProgressAsync(client, claims, body, cancellationToken) is not null)
            {
                return Html.Page("Al afgesloten", "<p>Deze afspraak is al afgesloten. U hoeft niets meer te doen.</p>", StatusCodes.Status409Conflict);
            }

            return Html.Page("Dank u wel", $"<p>Uw voortgang is doorgegeven: <strong>{FollowUpStatus.Dutch(body.Status!)}</strong>.</p><p>De coördinator ziet het op het dashboard.</p>");
        }

        if (claims.Purpose == LinkPurpose.MinutesUpload)
        {
            return await UploadMinutesAsync(claims, request, client, minutes, time, cancellationToken);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || !instance.IsRunning || instance.ReadCustomStatusAs<ProcessStatus>() is not { } status)
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
            case LinkPurpose.Reply:
                var answer = form["antwoord"].ToString();
                if (!Answers.IsValid(answer))
                {
                    return Html.Page("Kies een antwoord", "<p>Kies ja, nee of misschien. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                await client.SignalAsync(claims.ProcessId, new ReplySignal(claims.Subject, answer, remark.Length == 0 ? null : remark), cancellationToken);
                var late = status.ReplyDeadlineUtc is { } deadline && time.GetUtcNow().UtcDateTime > deadline && status.Phase != Phases.CollectingReplies;
                return Html.Page("Dank u wel", late
                    ? "<p>Wij hebben uw reactie ontvangen. De termijn om te reageren is wel voorbij. De coördinator ziet uw reactie en neemt zo nodig contact met u op.</p>"
                    : $"<p>Wij hebben uw antwoord ontvangen: <strong>{AnswerText(answer)}</strong>.</p><p>U krijgt een bevestiging per e-mail. Tot de reactietermijn voorbij is, kunt u uw antwoord via dezelfde link nog veranderen.</p>");

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

            default:
                var mandate = form["mandaat"].ToString();
                if (mandate is not ("ja" or "nee") || !int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var group))
                {
                    return Html.Page("Kies ja of nee", "<p>Geef aan of u het mandaat geeft. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                await client.SignalAsync(claims.ProcessId, new MandateSignal(group, mandate == "ja", remark.Length == 0 ? null : remark), cancellationToken);
                return Html.Page("Dank u wel", "<p>Uw antwoord over het mandaat is doorgegeven aan de coördinator.</p>");
        }
    }

    private static async Task<IResult> ReplyFormAsync(string token, string? key, LinkClaims claims, ProcessStatus status, ParticipantDirectory directory, CancellationToken cancellationToken)
    {
        var participant = await directory.FindAsync(claims.ProcessId, claims.Subject, cancellationToken);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Beste {Html.Encode(participant?.Name ?? "deelnemer")},</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>U bent uitgenodigd voor de dialoog over <strong>{Html.Encode(status.Topic)}</strong> ({Html.Encode(status.Area)}).</p>");
        body.Append(SessionList(status));
        if (participant?.Answer is { } current)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Uw antwoord nu: <strong>{AnswerText(current)}</strong>. U kunt het hieronder veranderen.</p>");
        }

        var selected = Answers.IsValid(key) ? key : participant?.Answer;
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/l/{Html.Encode(token)}\"><fieldset><legend>Komt u?</legend>");
        foreach (var answer in Answers.All)
        {
            var check = answer == selected ? " checked" : "";
            body.Append(CultureInfo.InvariantCulture, $"<p><label><input type=\"radio\" name=\"antwoord\" value=\"{answer}\"{check}> {AnswerLabel(answer)}</label></p>");
        }

        body.Append("</fieldset>").Append(RemarkAndSubmit("Opmerking (mag leeg blijven)", "Antwoord versturen"));
        return Html.Page("Uw reactie", body.ToString());
    }

    private static IResult DecisionForm(string token, string? key, LinkClaims claims, ProcessStatus status)
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

        body.Append(CultureInfo.InvariantCulture, $"</ul><form method=\"post\" action=\"/l/{Html.Encode(token)}\"><fieldset><legend>Wat moet er gebeuren?</legend>");
        foreach (var choice in DecisionChoices.All)
        {
            var check = choice == key ? " checked" : "";
            body.Append(CultureInfo.InvariantCulture, $"<p><label><input type=\"radio\" name=\"keuze\" value=\"{choice}\"{check}> {Html.Encode(DialogueChoiceText(choice))}</label></p>");
        }

        body.Append("</fieldset>").Append(RemarkAndSubmit("Toelichting (mag leeg blijven)", "Keuze doorgeven"));
        return Html.Page("Uw keuze is nodig", body.ToString());
    }

    private static IResult MandateForm(string token, LinkClaims claims, OrchestrationMetadata instance, ProcessStatus status)
    {
        var definition = instance.ReadInputAs<DialogueProcessInput>()?.Definition;
        var groupName = int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && definition is not null && index < definition.Groups.Count
            ? definition.Groups[index].Name
            : "uw organisatie";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Medewerkers van <strong>{Html.Encode(groupName)}</strong> doen mee in het team voor <strong>{Html.Encode(status.Topic)}</strong> ({Html.Encode(status.Area)}).</p>");
        body.Append("<p>Geeft u hen het mandaat om namens uw organisatie afspraken te maken?</p>");
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/l/{Html.Encode(token)}\"><fieldset><legend>Mandaat</legend>");
        body.Append("<p><label><input type=\"radio\" name=\"mandaat\" value=\"ja\"> Ja, ik geef het mandaat</label></p>");
        body.Append("<p><label><input type=\"radio\" name=\"mandaat\" value=\"nee\"> Nee, (nog) niet</label></p></fieldset>");
        body.Append(RemarkAndSubmit("Toelichting (mag leeg blijven)", "Versturen"));
        return Html.Page("Mandaat bevestigen", body.ToString());
    }

    private static async Task<IResult> ProgressFormAsync(string token, LinkClaims claims, FollowUpDirectory followUps, CancellationToken cancellationToken)
    {
        if (await followUps.FindAsync(claims.ProcessId, claims.Subject, cancellationToken) is not { } item)
        {
            return Html.Page("Niet gevonden", "<p>Deze afspraak bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        var what = item.Kind == FollowUpKinds.Initiative ? "het initiatief" : "de afspraak";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Hoe staat het met {what} <strong>{Html.Encode(item.Title)}</strong>?</p>");
        if (item.DueUtc is { } due)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Klaar vóór: {AmsterdamTime.FromUtc(due).ToString("dddd d MMMM yyyy", Dutch)}.</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>Nu: <strong>{FollowUpStatus.Dutch(item.Status)}</strong>.</p>");
        if (FollowUpStatus.IsFinal(item.Status))
        {
            return Html.Page("Voortgang", body.Append("<p>U hoeft niets meer te doen.</p>").ToString());
        }

        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/l/{Html.Encode(token)}\"><fieldset><legend>Hoe staat het ervoor?</legend>");
        foreach (var status in FollowUpStatus.Reportable)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p><label><input type=\"radio\" name=\"status\" value=\"{status}\"> {Html.Encode(DutchStatusLabel(status))}</label></p>");
        }

        body.Append("</fieldset>").Append(RemarkAndSubmit("Toelichting (nodig bij vastgelopen)", "Voortgang doorgeven"));
        body.Append("<p>Geeft u een tijd niets door, dan krijgt u een herinnering. Daarna hoort de coördinator het.</p>");
        return Html.Page("Voortgang doorgeven", body.ToString());
    }

    private static IResult MinutesUploadForm(string token, LinkClaims claims, ProcessStatus status)
    {
        if (status.Sessions.FirstOrDefault(s => s.Id == claims.Subject) is not { } session)
        {
            return Html.Page("Niet gevonden", "<p>Deze bijeenkomst bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Het verslag van <strong>{Html.Encode(session.Title)}</strong> ({Html.Encode(status.Topic)}).</p>");
        if (session.MinutesVersion > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Er is al een verslag (versie {session.MinutesVersion}). Een nieuwe upload gaat als verbeterde versie naar de deelnemers.</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/l/{Html.Encode(token)}\" enctype=\"multipart/form-data\">");
        body.Append("<p><label for=\"file\">Het verslag (PDF, Word, OpenDocument of tekst, hoogstens 20 MB)</label><br><input type=\"file\" id=\"file\" name=\"file\" accept=\".pdf,.docx,.odt,.txt,.md\"></p>");
        body.Append("<p><label for=\"actions\">Gemaakte afspraken, één per regel: wat; wie; e-mail; klaar vóór (jjjj-mm-dd).<br>Bijvoorbeeld: Speeltuin schetsen; Anna Jansen; anna@example.org; 2027-01-31</label><br>");
        body.Append("<textarea id=\"actions\" name=\"actions\" rows=\"6\" cols=\"60\"></textarea></p>");
        body.Append("<p><label for=\"uploadedBy\">Uw naam</label><br><input id=\"uploadedBy\" name=\"uploadedBy\"></p>");
        body.Append("<p><button type=\"submit\">Verslag versturen</button></p></form>");
        body.Append("<p>Het verslag gaat naar de deelnemers die er waren. Iedere afspraak krijgt een eigenaar die herinneringen krijgt.</p>");
        return Html.Page("Verslag uploaden", body.ToString());
    }

    private static async Task<IResult> UploadMinutesAsync(LinkClaims claims, HttpRequest request, DurableClient client, MinutesStore minutes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await MinutesEndpoints.SessionProblemAsync(client, claims.ProcessId, claims.Subject, cancellationToken) is { } problem)
        {
            return Html.Page(problem.ProblemDetails.Title ?? "Dat kan niet", $"<p>{Html.Encode(problem.ProblemDetails.Detail ?? "")}</p>", problem.StatusCode);
        }

        if (!request.HasFormContentType || request.ContentLength > MinutesUploadReader.MaxRequestBytes)
        {
            return Html.Page("Dat ging niet goed", "<p>Gebruik het formulier op deze pagina, met een bestand van hoogstens 20 MB.</p>", StatusCodes.Status400BadRequest);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var form = await request.ReadFormAsync(cancellationToken);
        var (actions, errors) = MinutesUploadReader.ReadActions(MinutesEndpoints.ActionLinesToJson(form["actions"]), now);
        var problems = new Dictionary<string, string[]>(errors);
        MinutesVersion? stored = null;
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            problems["file"] = ["Kies het bestand met het verslag."];
        }
        else if (problems.Count == 0)
        {
            await using var content = file.OpenReadStream();
            var uploadedBy = string.IsNullOrWhiteSpace(form["uploadedBy"]) ? "gespreksbegeleider (link)" : form["uploadedBy"].ToString().Trim();
            var bytes = await BoundedRead.ReadAsync(content, MinutesContent.MaxBytes, cancellationToken);
            if (bytes is null)
            {
                problems["file"] = [MinutesContent.TooLarge];
            }
            else
            {
                (stored, var saveErrors) = await MinutesEndpoints.AcceptAsync(client, minutes, claims.ProcessId, claims.Subject, file.FileName, bytes.Value, actions, uploadedBy, now, cancellationToken);
                foreach (var (key, value) in saveErrors)
                {
                    problems[key] = value;
                }
            }
        }

        if (stored is null)
        {
            var list = string.Concat(problems.SelectMany(e => e.Value).Select(m => $"<li>{Html.Encode(m)}</li>"));
            return Html.Page("Nog niet verstuurd", $"<ul>{list}</ul><p>Er is niets opgeslagen. Ga terug en pas het aan.</p>", StatusCodes.Status400BadRequest);
        }

        return Html.Page("Dank u wel", $"<p>Het verslag is opgeslagen (versie {stored.Version}) en gaat naar de deelnemers. {(actions.Count == 1 ? "1 afspraak wordt" : $"{actions.Count} afspraken worden")} gevolgd.</p>");
    }

    private static string DutchStatusLabel(string status) => status switch
    {
        FollowUpStatus.InProgress => "Bezig: ik ben ermee aan de slag",
        FollowUpStatus.Done => "Klaar: de afspraak is uitgevoerd",
        _ => "Vastgelopen: ik kom niet verder",
    };

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
        $"<p><label for=\"opmerking\">{label}</label><br><textarea id=\"opmerking\" name=\"opmerking\" rows=\"3\" cols=\"40\" maxlength=\"{MaxRemarkLength}\"></textarea></p>"
        + $"<p><button type=\"submit\">{button}</button></p></form>";

    private static string SessionList(ProcessStatus status)
    {
        var list = new StringBuilder("<ul>");
        foreach (var session in status.Sessions)
        {
            var start = AmsterdamTime.FromUtc(session.StartUtc);
            var end = AmsterdamTime.FromUtc(session.EndUtc);
            var place = session.Location ?? session.OnlineLink ?? "";
            var cancelled = session.State == "cancelled" ? " <strong>(geannuleerd)</strong>" : "";
            list.Append(CultureInfo.InvariantCulture,
                $"<li>{Html.Encode(session.Title)}: {start.ToString("dddd d MMMM yyyy, HH.mm", Dutch)} – {end.ToString("HH.mm", Dutch)} uur, {Html.Encode(place)}{cancelled}</li>");
        }

        return list.Append("</ul>").ToString();
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

    private static IResult InvalidLink(ParticipantLinks links, string token)
    {
        var expired = Purposes.Any(p => links.TryRead(token, p, out _) == LinkProblem.Expired);
        return expired
            ? Html.Page("Link verlopen", "<p>Deze link is verlopen. Er is niets veranderd. Neem contact op met de coördinator als u nog iets wilt doorgeven.</p>", StatusCodes.Status410Gone)
            : Html.Page("Link niet geldig", "<p>Deze link klopt niet. Misschien is hij niet helemaal gekopieerd. Gebruik de link uit uw e-mail. Er is niets veranderd.</p>", StatusCodes.Status400BadRequest);
    }

    private static string AnswerText(string answer) => answer switch
    {
        Answers.Yes => "ja, ik kom",
        Answers.No => "nee, ik kan niet",
        _ => "misschien",
    };

    private static string AnswerLabel(string answer) => answer switch
    {
        Answers.Yes => "Ja, ik kom",
        Answers.No => "Nee, ik kan niet",
        _ => "Misschien",
    };

    private static string DialogueChoiceText(string choice) => choice switch
    {
        DecisionChoices.ExtendDeadline => "De reactietermijn verlengen",
        DecisionChoices.InviteMore => "Meer mensen uitnodigen (daarna de termijn verlengen)",
        DecisionChoices.GoAhead => "Toch doorgaan",
        DecisionChoices.Cancel => "Het traject stoppen",
        _ => choice,
    };
}
