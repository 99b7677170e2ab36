using System.Globalization;
using Dialoog.Core.Processes;

namespace Dialoog.Web.Participant;

/// <summary>Add-to-calendar addresses for a planned session: Outlook on the web and Google Calendar (the .ics file is ours).</summary>
public static class CalendarLinks
{
    public static string Outlook(SessionStatus session, string topic)
    {
        ArgumentNullException.ThrowIfNull(session);
        return "https://outlook.office.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
            + $"&subject={Uri.EscapeDataString(Title(session, topic))}&startdt={Uri.EscapeDataString(Iso(session.StartUtc))}"
            + $"&enddt={Uri.EscapeDataString(Iso(session.EndUtc))}&location={Uri.EscapeDataString(Place(session))}";
    }

    public static string Google(SessionStatus session, string topic)
    {
        ArgumentNullException.ThrowIfNull(session);
        return "https://calendar.google.com/calendar/render?action=TEMPLATE"
            + $"&text={Uri.EscapeDataString(Title(session, topic))}&dates={Compact(session.StartUtc)}/{Compact(session.EndUtc)}&location={Uri.EscapeDataString(Place(session))}";
    }

    /// <summary>Our own .ics file of the session, behind the same link.</summary>
    public static string IcsFile(string token, SessionStatus session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return $"/l/{token}/agenda.ics?s={Uri.EscapeDataString(session.Id)}";
    }

    private static string Title(SessionStatus session, string topic) => $"{session.Title} – {topic}";

    private static string Place(SessionStatus session) => session.Location ?? session.OnlineLink ?? "";

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Compact(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
