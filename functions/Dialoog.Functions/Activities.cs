using Dialoog.Core.Actions;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Engine;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Dialoog.Functions;

/// <summary>
/// One function per activity of the domain's <see cref="TaskCatalog"/>, under the same name. Each one makes the shared
/// activity class from the invocation's services (as the local engine does, one scope per call) and runs it.
/// </summary>
public static class Activities
{
    [Function(nameof(SendMailActivity))]
    public static Task<bool> SendMail([ActivityTrigger] SendMailRequest input, FunctionContext function) =>
        RunAsync<bool>(nameof(SendMailActivity), input, function);

    [Function(nameof(SendMailBatchActivity))]
    public static Task<IReadOnlyList<MailRefused>> SendMailBatch([ActivityTrigger] SendMailBatch input, FunctionContext function) =>
        RunAsync<IReadOnlyList<MailRefused>>(nameof(SendMailBatchActivity), input, function);

    [Function(nameof(RecordParticipantsActivity))]
    public static Task<int> RecordParticipants([ActivityTrigger] RecordParticipantsRequest input, FunctionContext function) =>
        RunAsync<int>(nameof(RecordParticipantsActivity), input, function);

    [Function(nameof(RecordFollowUpActivity))]
    public static Task<bool> RecordFollowUp([ActivityTrigger] FollowUpRecord input, FunctionContext function) =>
        RunAsync<bool>(nameof(RecordFollowUpActivity), input, function);

    [Function(nameof(StartFollowUpActivity))]
    public static Task<string> StartFollowUp([ActivityTrigger] FollowUpInput input, FunctionContext function) =>
        RunAsync<string>(nameof(StartFollowUpActivity), input, function);

    [Function(nameof(CloseFollowUpActivity))]
    public static Task<bool> CloseFollowUp([ActivityTrigger] FollowUpSignalRequest input, FunctionContext function) =>
        RunAsync<bool>(nameof(CloseFollowUpActivity), input, function);

    [Function(nameof(SyncSessionCalendarActivity))]
    public static Task<string?> SyncSessionCalendar([ActivityTrigger] SyncSessionCalendarRequest input, FunctionContext function) =>
        RunAsync<string?>(nameof(SyncSessionCalendarActivity), input, function);

    private static async Task<T> RunAsync<T>(string name, object input, FunctionContext function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var activity = FunctionsServices.Catalog.Activities[name](function.InstanceServices);
        var instanceId = function.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
        return (T)(await activity.RunAsync(new FunctionActivityContext(name, instanceId), input))!;
    }

    private sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
