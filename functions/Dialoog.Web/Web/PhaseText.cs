using System.Globalization;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Web;

/// <summary>Dutch words for the coordinator's pages.</summary>
internal static class PhaseText
{
    public static readonly IReadOnlyList<string> All =
        [Phases.Inviting, Phases.CollectingReplies, Phases.AwaitingDecision, Phases.Sessions, Phases.FollowUp, Phases.Completed, Phases.Cancelled, Phases.Closed];

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static string Of(string phase) => phase switch
    {
        Phases.Inviting => "Uitnodigen",
        Phases.CollectingReplies => "Reacties verzamelen",
        Phases.AwaitingDecision => "Wacht op uw keuze",
        Phases.Sessions => "Bijeenkomsten",
        Phases.FollowUp => "Afspraken volgen",
        Phases.Completed => "Afgerond",
        Phases.Cancelled => "Geannuleerd",
        Phases.Closed => "Gesloten",
        _ => phase,
    };

    public static string When(DateTime? utc) =>
        utc is { } value ? AmsterdamTime.FromUtc(value).ToString("d MMM yyyy, HH.mm", Dutch) + " uur" : "–";

    public static string Session(string state) => state switch
    {
        "planned" => "gepland",
        "reminded" => "herinnering verstuurd",
        "held" => "geweest",
        "cancelled" => "geannuleerd",
        _ => state,
    };

    public static string Choice(string choice) => choice switch
    {
        DecisionChoices.ExtendDeadline => "De reactietermijn verlengen",
        DecisionChoices.InviteMore => "Meer mensen uitnodigen (daarna de termijn verlengen)",
        DecisionChoices.GoAhead => "Toch doorgaan",
        DecisionChoices.Cancel => "Het traject stoppen",
        _ => choice,
    };
}
