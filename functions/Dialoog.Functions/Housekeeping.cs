using System.Globalization;
using Dialoog.Core.Calendar;
using Dialoog.Core.Privacy;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions;

/// <summary>The jobs the web app runs in its own loops locally, run by timers in Azure (the web's loops are off there).</summary>
public sealed class Housekeeping(IServiceProvider services, ILogger<Housekeeping> logger)
{
    /// <summary>Every hour: processes whose retention is over lose their personal data (AVG).</summary>
    [Function(nameof(RetentionPurge))]
    public async Task RetentionPurge([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var purged = await services.GetRequiredService<PrivacyService>().PurgeExpiredAsync(cancellationToken);
        logger.LogInformation("Retention purge: {Purged} process(es) purged.", purged.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Every two minutes, with Graph as calendar provider: replies made in Outlook count as replies.</summary>
    [Function(nameof(OutlookReplies))]
    public async Task OutlookReplies([TimerTrigger("0 */2 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<CalendarOptions>>().Value.UsesGraph)
        {
            return;
        }

        var applied = await services.GetRequiredService<CalendarReplyPoller>().PollOnceAsync(cancellationToken);
        logger.LogInformation("Outlook replies: {Applied} applied.", applied.ToString(CultureInfo.InvariantCulture));
    }
}
