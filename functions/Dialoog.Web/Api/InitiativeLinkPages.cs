using System.Globalization;
using Dialoog.Core.Actions;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Api;

/// <summary>
/// The two link pages of someone who submitted an initiative: confirming their address (only then does the
/// initiative start), and seeing how it is going afterwards. Reached through <c>/l/{token}</c> like every personal link.
/// </summary>
internal static class InitiativeLinkPages
{
    /// <summary>
    /// The confirmation page: the initiative as submitted, and one button. A GET changes nothing, because mail
    /// scanners open links before people do.
    /// </summary>
    public static async Task<IResult> ConfirmFormAsync(HttpContext http, string token, LinkClaims claims, InitiativeIntake intake, CancellationToken cancellationToken)
    {
        if (await intake.FindAsync(claims.ProcessId, claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        var html = $"<p class=\"lead\">U heeft dit initiatief ingediend. Klopt dat? Druk dan op de knop. Pas dan gaat het naar de gemeente.</p>"
            + $"<dl class=\"facts\"><dt>Titel</dt><dd>{Html.Encode(pending.Title)}</dd><dt>Wat u wilt doen</dt><dd>{Html.Encode(pending.Description)}</dd>"
            + $"<dt>Uw naam</dt><dd>{Html.Encode(pending.Name)}</dd></dl>"
            + PageFrame.FormStart(http, "/l/" + token)
            + "<p><button type=\"submit\">Ja, verstuur mijn initiatief</button></p></form>"
            + PageFrame.NextStep("Daarna krijgt u een e-mail met de naam van uw contactpersoon bij de gemeente.");
        return Html.Page("Bevestig uw initiatief", html);
    }

    /// <summary>Starts the initiative in its process, once, however often the button is pressed.</summary>
    public static async Task<IResult> ConfirmAsync(LinkClaims claims, InitiativeIntake intake, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await FollowUpEndpoints.RunningProcessAsync(client, claims.ProcessId, cancellationToken) is null)
        {
            return Html.Page("Traject is afgelopen", "<p>Dit dialoogtraject loopt niet meer. Uw initiatief is daarom niet verstuurd.</p>", StatusCodes.Status409Conflict);
        }

        if (await intake.TakeAsync(claims.ProcessId, claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        await client.SignalAsync(claims.ProcessId, FollowUpEndpoints.Submitted(pending), cancellationToken);
        return Html.Page("Dank u wel", "<p>Uw initiatief is bevestigd en gaat nu naar de gemeente.</p>"
            + PageFrame.NextStep("U krijgt een e-mail met de naam van uw contactpersoon bij de gemeente. In die e-mail staat ook een link waarmee u ziet hoe het met uw initiatief gaat."));
    }

    /// <summary>How the initiative is going, in plain words; no names other than the contact person's.</summary>
    public static async Task<IResult> StatusAsync(LinkClaims claims, FollowUpDirectory followUps, CancellationToken cancellationToken)
    {
        if (await followUps.FindAsync(claims.ProcessId, claims.Subject, cancellationToken) is not { Kind: FollowUpKinds.Initiative } item)
        {
            return Html.Page("Niet gevonden", "<p>Dit initiatief bestaat niet (meer).</p>", StatusCodes.Status404NotFound);
        }

        var dutch = CultureInfo.GetCultureInfo("nl-NL");
        var html = $"<dl class=\"facts\"><dt>Initiatief</dt><dd>{Html.Encode(item.Title)}</dd>"
            + $"<dt>Hoe het gaat</dt><dd><strong>{Html.Encode(FollowUpStatus.Dutch(item.Status))}</strong></dd>"
            + $"<dt>Uw contactpersoon</dt><dd>{Html.Encode(item.Owner.Name)}</dd>"
            + $"<dt>Laatst bijgewerkt</dt><dd>{Html.Encode(AmsterdamTime.FromUtc(item.LastUpdateUtc).ToString("d MMMM yyyy", dutch))}</dd>"
            + (string.IsNullOrWhiteSpace(item.Reason) ? "" : $"<dt>Toelichting</dt><dd>{Html.Encode(item.Reason)}</dd>")
            + "</dl>"
            + PageFrame.NextStep(FollowUpStatus.IsFinal(item.Status)
                ? "Uw initiatief is afgerond. U hoeft niets meer te doen."
                : "Uw contactpersoon houdt deze pagina bij. Wilt u iets vragen? Antwoord op de e-mail van Dialoog; die komt bij de regisseur.");
        return Html.Page("Uw initiatief", html);
    }

    private static IResult NotPending() =>
        Html.Page("Al bevestigd of verlopen", "<p>Dit initiatief is al bevestigd, of de link is verlopen (na 48 uur). Heeft u het nog niet bevestigd? Dien het dan opnieuw in.</p>", StatusCodes.Status410Gone);
}
