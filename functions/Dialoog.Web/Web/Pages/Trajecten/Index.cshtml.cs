using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Pages.Trajecten;

/// <summary>The dashboard: the coordinator's processes (an admin's: all) with phase, next deadline and alerts.</summary>
public sealed class IndexModel(DurableTaskClient client, ParticipantDirectory directory, TimeProvider time, IOptions<AuthOptions> auth) : PageModel
{
    /// <param name="OpenCalls">Entries on the process's call list (bellijst): people to ask, remind or tell about a change.</param>
    public sealed record Row(string Id, ProcessStatus Status, DateTimeOffset CreatedAt, IReadOnlyList<string> Alerts, int OpenCalls = 0);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string? Phase { get; private set; }

    public string? Search { get; private set; }

    public bool AlertsOnly { get; private set; }

    public async Task OnGetAsync(string? fase, string? zoek, bool alleenSignalen)
    {
        Phase = fase;
        Search = zoek?.Trim();
        AlertsOnly = alleenSignalen;
        var rows = new List<Row>();
        var withoutEmail = await directory.ListWithoutEmailAsync(HttpContext.RequestAborted);
        var now = time.GetUtcNow().UtcDateTime;
        string? continuation = null;
        do
        {
            var page = await client.QueryPageAsync(ProcessesApi.InstanceIdPrefix, continuation, cancellationToken: HttpContext.RequestAborted);
            foreach (var instance in page.Instances.Where(i => i.Name == nameof(DialogueProcessOrchestrator)))
            {
                if (instance.ReadCustomStatusAs<ProcessStatus>() is { } status && User.CanSee(auth.Value, status.CoordinatorAccount, status.CoordinatorEmail))
                {
                    var calls = withoutEmail.TryGetValue(instance.InstanceId, out var people) ? ProcessesApi.CallListOf(instance, status, people, now).Count : 0;
                    rows.Add(new Row(instance.InstanceId, status, instance.CreatedAt, AlertsOf(status, calls), calls));
                }
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null && rows.Count < 1000);

        Rows = rows
            .Where(r => string.IsNullOrEmpty(Phase) || r.Status.Phase == Phase)
            .Where(r => string.IsNullOrEmpty(Search)
                || r.Status.Topic.Contains(Search, StringComparison.OrdinalIgnoreCase)
                || r.Status.Area.Contains(Search, StringComparison.OrdinalIgnoreCase))
            .Where(r => !AlertsOnly || r.Alerts.Count > 0)
            .OrderByDescending(r => r.Alerts.Count > 0).ThenByDescending(r => r.CreatedAt)
            .ToList();
    }

    /// <summary>What needs the coordinator: open escalations, stalled actions and initiatives, late minutes, the call list.</summary>
    public static IReadOnlyList<string> AlertsOf(ProcessStatus status, int openCalls = 0)
    {
        ArgumentNullException.ThrowIfNull(status);
        var alerts = new List<string>();
        var open = status.Escalations.Count(e => e.Decision is null);
        if (open > 0)
        {
            alerts.Add(open == 1 ? "1 open escalatie" : $"{open} open escalaties");
        }

        var stalled = status.Actions.Stalled + status.Initiatives.Stalled;
        if (stalled > 0)
        {
            alerts.Add(stalled == 1 ? "1 afspraak loopt vast" : $"{stalled} afspraken lopen vast");
        }

        if (status.Sessions.Any(s => s.MinutesLate))
        {
            alerts.Add("verslag te laat");
        }

        if (openCalls > 0)
        {
            alerts.Add(openCalls == 1 ? "1 open op de bellijst" : $"{openCalls} open op de bellijst");
        }

        return alerts;
    }
}
