using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Links;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Invitations;

/// <summary>A wave of e-mails (invitations, reminders, minutes) sent by one activity instead of one activity each.</summary>
public sealed record SendMailBatch(IReadOnlyList<SendMailRequest> Mails);

/// <summary>An e-mail the mail server refused for good (an unknown mailbox): retrying will not help.</summary>
public sealed record MailRefused(string RecipientId, string Name, string Reason);

/// <summary>
/// Sends a wave of e-mails in one activity, a few at a time. The engine spends several storage operations on every
/// activity, so one per recipient would make a wave of 500 invitations take many seconds; one per batch takes one.
/// Each e-mail keeps its own idempotency key, so when a short outage fails part of a batch, the retried batch sends
/// only what is missing. Refusals for good are returned, not thrown, so one bad address never holds up the rest.
/// </summary>
public sealed class SendMailBatchActivity(IEmailSender sender, ISessionCalendar calendar, ParticipantLinks links, IOptions<MailOptions> mail)
    : TaskActivity<SendMailBatch, IReadOnlyList<MailRefused>>
{
    /// <summary>E-mails of one batch in flight at once: enough to hide SMTP round trips, few enough for any relay.</summary>
    public const int Parallelism = 8;

    /// <summary>E-mails per batch: a batch's input stays well under the engine's message size.</summary>
    public const int MaxBatchSize = 25;

    public override async Task<IReadOnlyList<MailRefused>> RunAsync(TaskActivityContext context, SendMailBatch input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var one = new SendMailActivity(sender, calendar, links, mail);
        var refused = new System.Collections.Concurrent.ConcurrentBag<MailRefused>();
        var retry = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        await Parallel.ForEachAsync(input.Mails, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, token) =>
        {
            try
            {
                await one.SendAsync(request, token);
            }
            catch (EmailSendException ex) when (ex.Permanent)
            {
                refused.Add(new MailRefused(request.To.Id, request.To.Name, ex.Message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                retry.Add(ex);
            }
        });

        if (!retry.IsEmpty)
        {
            // The rest of the batch is out; the engine retries this activity and the keys skip what was sent.
            throw new AggregateException($"{retry.Count} of {input.Mails.Count} e-mails could not be sent yet.", retry);
        }

        return [.. refused.OrderBy(r => r.RecipientId, StringComparer.Ordinal)];
    }
}
