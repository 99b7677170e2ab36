using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Durable;
using Dialoog.Durable.Storage;
using Dialoog.Functions.Actions;
using Dialoog.Functions.Calendar;
using Dialoog.Functions.Invitations;

namespace Dialoog.Functions.Processes;

public static class ProcessRuntimeRegistration
{
    /// <summary>
    /// The durable runtime on the app's storage account: client for the API, and the worker that runs dialogue
    /// processes (its pull loop, unless <c>Durable__EnablePullLoop</c> is false under the Functions host).
    /// </summary>
    /// <summary>Every orchestrator and activity of the app, by name (tests register the same set).</summary>
    public static void Register(DurableRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestrator<DialogueProcessOrchestrator>(nameof(DialogueProcessOrchestrator))
            .AddOrchestrator<FollowUpOrchestrator>(nameof(FollowUpOrchestrator))
            .AddActivity<SendMailActivity>(nameof(SendMailActivity))
            .AddActivity<RecordParticipantsActivity>(nameof(RecordParticipantsActivity))
            .AddActivity<RecordFollowUpActivity>(nameof(RecordFollowUpActivity))
            .AddActivity<StartFollowUpActivity>(nameof(StartFollowUpActivity))
            .AddActivity<CloseFollowUpActivity>(nameof(CloseFollowUpActivity))
            .AddActivity<SyncSessionCalendarActivity>(nameof(SyncSessionCalendarActivity));
    }

    public static IServiceCollection AddProcessRuntime(this IServiceCollection services)
    {
        services.AddSingleton<ParticipantDirectory>();
        return services.AddDurableRuntime(
            Register,
            sp =>
            {
                // Read raw, not through IOptions: the worker is created before the host validates settings, and a
                // bad value must be reported by that validation, next to any other bad setting.
                var section = sp.GetRequiredService<IConfiguration>().GetSection(DurableOptions.SectionName);
                var defaults = new DurableOptions();
                return new AzureDurableStore(
                    sp.GetRequiredService<TableServiceClient>(),
                    sp.GetRequiredService<QueueServiceClient>(),
                    sp.GetRequiredService<BlobServiceClient>(),
                    section[nameof(DurableOptions.TaskHub)] ?? defaults.TaskHub,
                    int.TryParse(section[nameof(DurableOptions.MaxInlinePayloadChars)], out var inline) ? Math.Clamp(inline, 1024, 30000) : defaults.MaxInlinePayloadChars);
            });
    }
}
