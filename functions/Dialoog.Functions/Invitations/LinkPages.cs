using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Dialoog.Durable;
using Dialoog.Functions.Links;
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
    private static readonly LinkPurpose[] Purposes = [LinkPurpose.Reply, LinkPurpose.Decision, LinkPurpose.Mandate];

    public static IEndpointRouteBuilder MapLinkPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/l/{token}", ShowAsync).ExcludeFromDescription();
        routes.MapPost("/l/{token}", SubmitAsync).ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> ShowAsync(string token, string? k, ParticipantLinks links, DurableClient client, ParticipantDirectory directory, CancellationToken cancellationToken)
    {
        if (Read(links, token) is not { } claims)
        {
            return InvalidLink(links, token);
        }

        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: true, cancellationToken);
        if (instance?.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Page("Traject niet gevonden", "<p>Dit dialoogtraject bestaat niet meer.</p>", StatusCodes.Status404NotFound);
        }

        if (!instance.IsRunning)
        {
            return Page(status.Topic, "<p>Dit dialoogtraject is afgelopen. U hoeft niets meer te doen.</p>");
        }

        return claims.Purpose switch
        {
            LinkPurpose.Reply => await ReplyFormAsync(token, k, claims, status, directory, cancellationToken),
            LinkPurpose.Decision => DecisionForm(token, k, claims, status),
            _ => MandateForm(token, claims, instance, status),
        };
    }

    private static async Task<IResult> SubmitAsync(string token, HttpRequest request, ParticipantLinks links, DurableClient client, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Read(links, token) is not { } claims)
        {
            return InvalidLink(links, token);
        }

        if (!request.HasFormContentType)
        {
            return Page("Dat ging niet goed", "<p>Gebruik het formulier op deze pagina.</p>", StatusCodes.Status400BadRequest);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var instance = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || !instance.IsRunning || instance.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Page("Traject is afgelopen", "<p>Dit dialoogtraject loopt niet meer. Er is niets veranderd.</p>", StatusCodes.Status409Conflict);
        }

        var remark = form["opmerking"].ToString().Trim();
        if (remark.Length > MaxRemarkLength)
        {
            return Page("Opmerking te lang", $"<p>Uw opmerking mag maximaal {MaxRemarkLength} tekens hebben. Er is niets opgeslagen. Ga terug en maak de opmerking korter.</p>", StatusCodes.Status400BadRequest);
        }

        switch (claims.Purpose)
        {
            case LinkPurpose.Reply:
                var answer = form["antwoord"].ToString();
                if (!Answers.IsValid(answer))
                {
                    return Page("Kies een antwoord", "<p>Kies ja, nee of misschien. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                await client.SignalAsync(claims.ProcessId, new ReplySignal(claims.Subject, answer, remark.Length == 0 ? null : remark), cancellationToken);
                var late = status.ReplyDeadlineUtc is { } deadline && time.GetUtcNow().UtcDateTime > deadline && status.Phase != Phases.CollectingReplies;
                return Page("Dank u wel", late
                    ? "<p>Wij hebben uw reactie ontvangen. De termijn om te reageren is wel voorbij. De coördinator ziet uw reactie en neemt zo nodig contact met u op.</p>"
                    : $"<p>Wij hebben uw antwoord ontvangen: <strong>{AnswerText(answer)}</strong>.</p><p>U krijgt een bevestiging per e-mail. Tot de reactietermijn voorbij is, kunt u uw antwoord via dezelfde link nog veranderen.</p>");

            case LinkPurpose.Decision:
                var choice = form["keuze"].ToString();
                if (!DecisionChoices.All.Contains(choice))
                {
                    return Page("Kies wat er moet gebeuren", "<p>Kies een van de mogelijkheden. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                if (status.Escalations.FirstOrDefault(e => e.Id == claims.Subject) is not { Decision: null })
                {
                    return Page("Er is al gekozen", "<p>Voor deze vraag is al een keuze gemaakt. Er is niets veranderd.</p>", StatusCodes.Status409Conflict);
                }

                await client.SignalAsync(claims.ProcessId,
                    new DecisionSignal(claims.Subject, choice, null, "link in e-mail", remark.Length == 0 ? null : remark), cancellationToken);
                return Page("Dank u wel", $"<p>Uw keuze is doorgegeven: <strong>{Encode(DialogueChoiceText(choice))}</strong>.</p><p>Het traject gaat nu verder. U ziet het resultaat op het dashboard.</p>");

            default:
                var mandate = form["mandaat"].ToString();
                if (mandate is not ("ja" or "nee") || !int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var group))
                {
                    return Page("Kies ja of nee", "<p>Geef aan of u het mandaat geeft. Er is niets opgeslagen.</p>", StatusCodes.Status400BadRequest);
                }

                await client.SignalAsync(claims.ProcessId, new MandateSignal(group, mandate == "ja", remark.Length == 0 ? null : remark), cancellationToken);
                return Page("Dank u wel", "<p>Uw antwoord over het mandaat is doorgegeven aan de coördinator.</p>");
        }
    }

    private static async Task<IResult> ReplyFormAsync(string token, string? key, LinkClaims claims, ProcessStatus status, ParticipantDirectory directory, CancellationToken cancellationToken)
    {
        var participant = await directory.FindAsync(claims.ProcessId, claims.Subject, cancellationToken);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Beste {Encode(participant?.Name ?? "deelnemer")},</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>U bent uitgenodigd voor de dialoog over <strong>{Encode(status.Topic)}</strong> ({Encode(status.Area)}).</p>");
        body.Append(SessionList(status));
        if (participant?.Answer is { } current)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Uw antwoord nu: <strong>{AnswerText(current)}</strong>. U kunt het hieronder veranderen.</p>");
        }

        var selected = Answers.IsValid(key) ? key : participant?.Answer;
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/l/{Encode(token)}\"><fieldset><legend>Komt u?</legend>");
        foreach (var answer in Answers.All)
        {
            var check = answer == selected ? " checked" : "";
            body.Append(CultureInfo.InvariantCulture, $"<p><label><input type=\"radio\" name=\"antwoord\" value=\"{answer}\"{check}> {AnswerLabel(answer)}</label></p>");
        }

        body.Append("</fieldset>").Append(RemarkAndSubmit("Opmerking", "Antwoord versturen"));
        return Page("Uw reactie", body.ToString());
    }

    private static IResult DecisionForm(string token, string? key, LinkClaims claims, ProcessStatus status)
    {
        if (status.Escalations.FirstOrDefault(e => e.Id == claims.Subject) is not { } escalation)
        {
            return Page("Geen open vraag", "<p>Deze vraag bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        if (escalation.Decision is not null)
        {
            return Page("Er is al gekozen", $"<p>Voor deze vraag is al gekozen: <strong>{Encode(DialogueChoiceText(escalation.Decision))}</strong> (door {Encode(escalation.DecidedBy ?? "onbekend")}).</p>");
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Bij de dialoog over <strong>{Encode(status.Topic)}</strong> zijn niet alle groepen vertegenwoordigd:</p><ul>");
        foreach (var fact in escalation.Facts)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li>{Encode(fact)}</li>");
        }

        body.Append(CultureInfo.InvariantCulture, $"</ul><form method=\"post\" action=\"/l/{Encode(token)}\"><fieldset><legend>Wat moet er gebeuren?</legend>");
        foreach (var choice in DecisionChoices.All)
        {
            var check = choice == key ? " checked" : "";
            body.Append(CultureInfo.InvariantCulture, $"<p><label><input type=\"radio\" name=\"keuze\" value=\"{choice}\"{check}> {Encode(DialogueChoiceText(choice))}</label></p>");
        }

        body.Append("</fieldset>").Append(RemarkAndSubmit("Toelichting", "Keuze doorgeven"));
        return Page("Uw keuze is nodig", body.ToString());
    }

    private static IResult MandateForm(string token, LinkClaims claims, OrchestrationMetadata instance, ProcessStatus status)
    {
        var definition = instance.ReadInputAs<DialogueProcessInput>()?.Definition;
        var groupName = int.TryParse(claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && definition is not null && index < definition.Groups.Count
            ? definition.Groups[index].Name
            : "uw organisatie";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Medewerkers van <strong>{Encode(groupName)}</strong> doen mee in het team voor <strong>{Encode(status.Topic)}</strong> ({Encode(status.Area)}).</p>");
        body.Append("<p>Geeft u hen het mandaat om namens uw organisatie afspraken te maken?</p>");
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/l/{Encode(token)}\"><fieldset><legend>Mandaat</legend>");
        body.Append("<p><label><input type=\"radio\" name=\"mandaat\" value=\"ja\"> Ja, ik geef het mandaat</label></p>");
        body.Append("<p><label><input type=\"radio\" name=\"mandaat\" value=\"nee\"> Nee, (nog) niet</label></p></fieldset>");
        body.Append(RemarkAndSubmit("Toelichting", "Versturen"));
        return Page("Mandaat bevestigen", body.ToString());
    }

    /// <summary>The optional remark box and the submit button that end every link form.</summary>
    private static string RemarkAndSubmit(string label, string button) =>
        $"<p><label for=\"opmerking\">{label} (mag leeg blijven)</label><br><textarea id=\"opmerking\" name=\"opmerking\" rows=\"3\" cols=\"40\" maxlength=\"{MaxRemarkLength}\"></textarea></p>"
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
                $"<li>{Encode(session.Title)}: {start.ToString("dddd d MMMM yyyy, HH.mm", Dutch)} – {end.ToString("HH.mm", Dutch)} uur, {Encode(place)}{cancelled}</li>");
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
            ? Page("Link verlopen", "<p>Deze link is verlopen. Er is niets veranderd. Neem contact op met de coördinator als u nog iets wilt doorgeven.</p>", StatusCodes.Status410Gone)
            : Page("Link niet geldig", "<p>Deze link klopt niet. Misschien is hij niet helemaal gekopieerd. Gebruik de link uit uw e-mail. Er is niets veranderd.</p>", StatusCodes.Status400BadRequest);
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

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(
            $"<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{Encode(title)} – Dialoog</title></head>"
            + $"<body style=\"font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111;background:#fff\"><main><h1>{Encode(title)}</h1>{body}</main></body></html>",
            "text/html; charset=utf-8",
            Encoding.UTF8,
            statusCode);
}
