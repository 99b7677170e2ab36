using Dialoog.Core.Actions;
using Dialoog.Core.Calendar;
using Dialoog.Core.Engine;
using Dialoog.Core.Invitations;
using Microsoft.DurableTask;

namespace Dialoog.Core.Processes;

public static class ProcessRuntimeRegistration
{
    /// <summary>
    /// The orchestration version new processes start on. Raise it when an orchestrator changes what it schedules
    /// (README, "Shipping a change"), and keep the old code under its old version until its instances have ended.
    /// </summary>
    public const string CurrentVersion = "1";

    /// <summary>Every orchestrator and activity of the app, by name: the one list every host registers.</summary>
    public static TaskCatalog Catalog()
    {
        return new TaskCatalog(CurrentVersion)
            .AddOrchestrator(nameof(DialogueProcessOrchestrator), _ => new VersionedOrchestrator(new Dictionary<string, ITaskOrchestrator>
            {
                ["1"] = new DialogueProcessOrchestrator(),
            }))
            .AddOrchestrator(nameof(FollowUpOrchestrator), _ => new VersionedOrchestrator(new Dictionary<string, ITaskOrchestrator>
            {
                ["1"] = new FollowUpOrchestrator(),
            }))
            .AddActivity<SendMailActivity>(nameof(SendMailActivity))
            .AddActivity<SendMailBatchActivity>(nameof(SendMailBatchActivity))
            .AddActivity<RecordParticipantsActivity>(nameof(RecordParticipantsActivity))
            .AddActivity<RecordFollowUpActivity>(nameof(RecordFollowUpActivity))
            .AddActivity<StartFollowUpActivity>(nameof(StartFollowUpActivity))
            .AddActivity<CloseFollowUpActivity>(nameof(CloseFollowUpActivity))
            .AddActivity<SyncSessionCalendarActivity>(nameof(SyncSessionCalendarActivity));
    }

    /// <summary>The Durable Task engine on the app's storage account: the client for the web and API, and the local worker.</summary>
    public static IServiceCollection AddProcessRuntime(this IServiceCollection services) => services.AddDurableEngine(Catalog());
}
