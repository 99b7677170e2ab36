using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Dialoog.Core.Calendar;

/// <summary>
/// Reads the attendees' replies made in Outlook from the organizer's events and passes each new one to its process as
/// a <see cref="ReplySignal"/>, exactly like a click on a personal link.
/// </summary>
/// <remarks>
/// <para>
/// Why polling and not Graph change notifications: notifications need a public HTTPS endpoint that answers Graph's
/// validation handshake, subscriptions on events expire within three days and must be renewed, and a missed or failed
/// notification is simply lost, so a reconciling poll would be needed anyway. A process has a handful of sessions and
/// a reply may take minutes to count: one GET per upcoming session per interval is far below Graph's limits, works
/// the same locally, in a container and under the Functions host, and cannot miss a reply.
/// </para>
/// <para>
/// One pass is <see cref="PollOnceAsync"/>, so a Functions timer trigger can run it as well as the hosted service. A
/// reply is passed on when its answer differs from the last one read for that address and from the participant's
/// current answer (so a "yes" by link followed by "accept" in Outlook does not send a second confirmation). The
/// answer read is stored after the signal is raised: a crash in between raises it once more, which the check against
/// the current answer then absorbs.
/// </para>
/// </remarks>
public sealed class CalendarReplyPoller(
    GraphServiceClient graph,
    CalendarEventStore store,
    ParticipantDirectory directory,
    DurableTaskClient client,
    IOptions<CalendarOptions> options,
    TimeProvider time,
    ILogger<CalendarReplyPoller> logger)
{
    /// <returns>How many replies were passed on to processes.</returns>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var raised = 0;
        foreach (var record in await store.ActiveAsync(time.GetUtcNow().UtcDateTime, cancellationToken))
        {
            try
            {
                raised += await PollEventAsync(record, cancellationToken);
            }
            catch (ODataError ex)
            {
                // One bad event (removed by hand, say) must not stop the replies for all others.
                logger.LogWarning("Reading replies of the calendar event of session {SessionId} of process {ProcessId} failed: {Status} {Code} {Error}",
                    record.SessionId, record.ProcessId, ex.ResponseStatusCode, ex.Error?.Code, ex.Error?.Message);
            }
        }

        return raised;
    }

    private async Task<int> PollEventAsync(CalendarEventRecord record, CancellationToken cancellationToken)
    {
        var item = await graph.Users[options.Value.Graph.OrganizerMailbox].Events[record.EventId]
            .GetAsync(request => request.QueryParameters.Select = ["attendees"], cancellationToken);
        var responses = new Dictionary<string, string>(record.Responses, StringComparer.OrdinalIgnoreCase);
        var raised = 0;
        foreach (var attendee in item?.Attendees ?? [])
        {
            if (attendee.EmailAddress?.Address is not { Length: > 0 } address || AnswerFor(attendee.Status?.Response) is not { } answer)
            {
                continue;
            }

            var key = address.ToUpperInvariant();
            if (responses.TryGetValue(key, out var seen) && seen == answer)
            {
                continue;
            }

            var participant = await directory.FindByEmailAsync(record.ProcessId, address, cancellationToken);
            if (participant is not null && participant.Answer != answer)
            {
                await client.SignalAsync(record.ProcessId, new ReplySignal(participant.Id, answer, null, time.GetUtcNow().UtcDateTime), cancellationToken);
                logger.LogInformation("Reply {Answer} of participant {ParticipantId} of process {ProcessId} read from Outlook.", answer, participant.Id, record.ProcessId);
                raised++;
            }

            responses[key] = answer;
        }

        if (responses.Count != record.Responses.Count || responses.Any(r => record.Responses.GetValueOrDefault(r.Key) != r.Value))
        {
            await store.SaveResponsesAsync(record with { Responses = responses }, cancellationToken);
        }

        return raised;
    }

    private static string? AnswerFor(ResponseType? response) => response switch
    {
        ResponseType.Accepted => Answers.Yes,
        ResponseType.Declined => Answers.No,
        ResponseType.TentativelyAccepted => Answers.Maybe,
        _ => null,
    };
}

/// <summary>Runs <see cref="CalendarReplyPoller"/> on <c>Calendar__Graph__ReplyPollInterval</c> when the calendar provider is Graph.</summary>
internal sealed class CalendarReplyPollingService(IServiceProvider services, IOptions<CalendarOptions> options, TimeProvider time, ILogger<CalendarReplyPollingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Graph.ReplyPollInterval;
        if (!options.Value.UsesGraph || interval <= TimeSpan.Zero)
        {
            return;
        }

        var poller = services.GetRequiredService<CalendarReplyPoller>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await poller.PollOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Graph or storage briefly away: the next pass tries again; nothing is lost, the replies stay on the events.
                logger.LogWarning(ex, "Reading replies from Outlook failed; trying again in {Interval}.", interval);
            }
        }
    }
}
