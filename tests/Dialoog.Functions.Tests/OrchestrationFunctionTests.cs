using Dialoog.Core.Actions;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Microsoft.DurableTask;
using Moq;

namespace Dialoog.Functions.Tests;

/// <summary>
/// Each orchestrator function hands its context to the shared orchestrator class: with a mocked context, the function
/// does what that class does first (and nothing else runs it).
/// </summary>
public sealed class OrchestrationFunctionTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void DialogueProcessFunction_RunsTheDialogueProcess_WhichPublishesItsPeopleAndSavesBeforeInviting()
    {
        var definition = ProcessDefinitionNormalizer.Normalize(new ProcessDefinition
        {
            Topic = "Samen zorgen voor jongeren in de wijk",
            Area = "Wijk Noord",
            Coordinator = new("Sanne Regisseur", "sanne@gemeente.example"),
            EscalationContact = new("Karim Teamleider", "karim@gemeente.example"),
            Groups = [new("inwoners", 1), new("gemeente", 1)],
            Participants = [new("Anna Jansen", "anna@example.org", "inwoners"), new("Dirk Bakker", "dirk@gemeente.example", "gemeente")],
            Sessions = [new("s1", "Dialoog over jongeren", new DateTime(2026, 4, 1, 19, 30, 0), new DateTime(2026, 4, 1, 21, 30, 0), Location: "Buurthuis")],
        });
        var context = Context("dlg-test", new DialogueProcessInput(definition));
        var statuses = new List<object?>();
        context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(statuses.Add);

        var run = Orchestrations.DialogueProcess(context.Object);

        // It waits for the saved step before the invitations go out, after publishing the process with its people.
        Assert.False(run.IsCompleted);
        context.Verify(c => c.CreateTimer(Now, It.IsAny<CancellationToken>()), Times.Once);
        var status = Assert.IsType<ProcessStatus>(statuses.Last());
        Assert.Equal(Phases.Inviting, status.Phase);
        Assert.Equal(2, status.ParticipantCount);
        context.Verify(c => c.CallActivityAsync<object>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
    }

    [Fact]
    public void FollowUpFunction_RunsTheFollowUp_WhichRecordsTheItemFirst()
    {
        var item = new FollowUpItem("dlg-test", "a1", FollowUpKinds.Action, "Speelplek opknappen", null, new Person("Ella Eigenaar", "ella@example.org"),
            null, Now.AddDays(30), "s1", "Jongeren", "Wijk Noord", new Person("Sanne Regisseur", "sanne@gemeente.example"),
            new Person("Karim Teamleider", "karim@gemeente.example"), FollowUpPolicy.From(new ProcessPolicy()));
        var context = Context(item.InstanceId, new FollowUpInput(item));
        FollowUpRecord? recorded = null;
        context.Setup(c => c.CallActivityAsync<object>(nameof(RecordFollowUpActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, input, _) => recorded = input as FollowUpRecord)
            .Returns(new TaskCompletionSource<object>().Task);

        var run = Orchestrations.FollowUp(context.Object);

        Assert.False(run.IsCompleted);
        Assert.NotNull(recorded);
        Assert.Equal(("a1", FollowUpStatus.Open, "Ella Eigenaar"), (recorded.Id, recorded.Status, recorded.Owner.Name));
    }

    /// <summary>A context at <see cref="Now"/>, on version 1, whose timers, events and activities never complete.</summary>
    private static Mock<TaskOrchestrationContext> Context<TInput>(string instanceId, TInput input)
    {
        var context = new Mock<TaskOrchestrationContext> { CallBase = true }; // the SDK's helpers reach the mocked members
        context.SetupGet(c => c.InstanceId).Returns(instanceId);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.SetupGet(c => c.Version).Returns(ProcessRuntimeRegistration.CurrentVersion);
        context.Setup(c => c.GetInput<TInput>()).Returns(input);
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(new TaskCompletionSource().Task);
        context.Setup(c => c.WaitForExternalEvent<It.IsAnyType>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(_ => Never(_.Method.ReturnType)));
        context.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(new InvocationFunc(_ => Never(_.Method.ReturnType)));
        return context;
    }

    /// <summary>A Task&lt;T&gt; that never completes, for any T.</summary>
    private static object Never(Type taskType)
    {
        var source = Activator.CreateInstance(typeof(TaskCompletionSource<>).MakeGenericType(taskType.GetGenericArguments()[0]))!;
        return source.GetType().GetProperty("Task")!.GetValue(source)!;
    }
}
