using Dialoog.Core.Engine;
using Microsoft.DurableTask;

namespace Dialoog.Core.Tests.VirtualTime;

/// <summary>Small orchestrators and activities that exercise one engine behaviour each.</summary>
public static class VirtualTimeSamples
{
    public static TaskCatalog Catalog(string currentVersion = "1") => new TaskCatalog(currentVersion)
        .AddOrchestrator(nameof(Chain), _ => new Chain())
        .AddOrchestrator(nameof(Reminder), _ => new Reminder())
        .AddOrchestrator(nameof(AnswerOrTimeout), _ => new AnswerOrTimeout())
        .AddOrchestrator(nameof(TwoEvents), _ => new TwoEvents())
        .AddOrchestrator(nameof(Counter), _ => new Counter())
        .AddOrchestrator(nameof(CatchesFailure), _ => new CatchesFailure())
        .AddOrchestrator(nameof(LetsFailureThrough), _ => new LetsFailureThrough())
        .AddOrchestrator(nameof(WithStatus), _ => new WithStatus())
        .AddOrchestrator(nameof(Fickle), _ => new Fickle())
        .AddOrchestrator(Greeter, _ => new VersionedOrchestrator(new Dictionary<string, ITaskOrchestrator>
        {
            ["1"] = new GreeterV1(),
            ["2"] = new GreeterV2(),
        }))
        .AddOrchestrator(nameof(Parent), _ => new Parent())
        .AddOrchestrator(nameof(NowAtStart), _ => new NowAtStart())
        .AddOrchestrator(nameof(DelayedDouble), _ => new DelayedDouble())
        .AddActivity<Doubler>(nameof(Doubler))
        .AddActivity<AddOne>(nameof(AddOne))
        .AddOrchestrator(nameof(RestartsOnce), _ => new RestartsOnce())
        .AddOrchestrator(nameof(Restless), _ => new Restless())
        .AddOrchestrator(nameof(CallsHang), _ => new CallsHang())
        .AddActivity<Explode>(nameof(Explode))
        .AddActivity<Hang>(nameof(Hang));

    /// <summary>One name, two versions of the code (<see cref="GreeterV1"/>, <see cref="GreeterV2"/>).</summary>
    public const string Greeter = "Greeter";

    public sealed record TimerResult(DateTime StartedAt, DateTime FiredAt);

    public sealed record Progress(string Step, int Count);

    public sealed class Doubler : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input * 2);
    }

    public sealed class AddOne : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input + 1);
    }

    public sealed class Explode : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) =>
            throw new InvalidOperationException("boom " + input);
    }

    /// <summary>Waits on something the fake clock never finishes while an activity runs.</summary>
    public sealed class Hang : TaskActivity<object?, object?>
    {
        public override async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan);
            return null;
        }
    }

    /// <summary>x → 2x → 2x + 1.</summary>
    public sealed class Chain : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            ArgumentNullException.ThrowIfNull(context);
            var doubled = await context.CallActivityAsync<int>(nameof(Doubler), input);
            return await context.CallActivityAsync<int>(nameof(AddOne), doubled);
        }
    }

    /// <summary>Waits 30 days and says when it started and when the timer fired, by the orchestration's clock.</summary>
    public sealed class Reminder : TaskOrchestrator<object?, TimerResult>
    {
        public override async Task<TimerResult> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            var startedAt = context.CurrentUtcDateTime;
            await context.CreateTimer(startedAt.AddDays(30), CancellationToken.None);
            return new TimerResult(startedAt, context.CurrentUtcDateTime);
        }
    }

    /// <summary>An answer within a week, or "timeout"; the timer is cancelled when the answer wins.</summary>
    public sealed class AnswerOrTimeout : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            using var cancel = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime.AddDays(7), cancel.Token);
            var answer = context.WaitForExternalEvent<string>("answer");
            if (await Task.WhenAny(timer, answer) == answer)
            {
                // Cancel, not CancelAsync: the latter runs the timer's callback on the thread pool, outside the
                // episode, so the orchestration would never see its timer closed and never complete.
                cancel.Cancel();
                return "answer:" + answer.Result;
            }

            return "timeout";
        }
    }

    /// <summary>Calls an activity first, then waits for two events in order.</summary>
    public sealed class TwoEvents : TaskOrchestrator<object?, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            await context.CallActivityAsync<int>(nameof(Doubler), 1);
            var first = await context.WaitForExternalEvent<int>("first");
            var second = await context.WaitForExternalEvent<int>("second");
            return (first * 10) + second;
        }
    }

    /// <summary>One day per generation up to 1000, then the "note" event (raised on day one, carried along) is added.</summary>
    public sealed class Counter : TaskOrchestrator<int, int>
    {
        public const int Generations = 1000;

        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (input < Generations)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.AddDays(1), CancellationToken.None);
                context.ContinueAsNew(input + 1);
                return 0;
            }

            return input + await context.WaitForExternalEvent<int>("note");
        }
    }

    public sealed class CatchesFailure : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            try
            {
                await context.CallActivityAsync<int>(nameof(Explode), 7);
                return "no failure";
            }
            catch (TaskFailedException e)
            {
                return $"{e.TaskName}|{e.FailureDetails.ErrorType}|{e.FailureDetails.ErrorMessage}";
            }
        }
    }

    public sealed class LetsFailureThrough : TaskOrchestrator<object?, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            return await context.CallActivityAsync<int>(nameof(Explode), 8);
        }
    }

    public sealed class WithStatus : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.SetCustomStatus(new Progress("waiting", 1));
            var word = await context.WaitForExternalEvent<string>("go");
            context.SetCustomStatus(new Progress("done", 2));
            return word;
        }
    }

    /// <summary>Changes what it schedules first when <see cref="Changed"/> is set: a deployment that breaks replay.</summary>
    public sealed class Fickle : TaskOrchestrator<object?, int>
    {
        public static bool Changed { get; set; }

        public override async Task<int> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            var first = await context.CallActivityAsync<int>(Changed ? nameof(AddOne) : nameof(Doubler), 5);
            await context.WaitForExternalEvent<object?>("go");
            return first;
        }
    }

    public sealed class GreeterV1 : TaskOrchestrator<string?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            return $"v1 ({context.Version}) hello " + await context.WaitForExternalEvent<string>("name");
        }
    }

    /// <summary>Version 2 calls an activity before waiting: replaying a v1 history on it would fail.</summary>
    public sealed class GreeterV2 : TaskOrchestrator<string?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            var two = await context.CallActivityAsync<int>(nameof(AddOne), 1);
            return $"v{two} ({context.Version}) hi " + await context.WaitForExternalEvent<string>("name");
        }
    }

    /// <summary>A sub-orchestration's result, and a failing one caught.</summary>
    public sealed class Parent : TaskOrchestrator<int, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
        {
            ArgumentNullException.ThrowIfNull(context);
            var result = await context.CallSubOrchestratorAsync<int>(nameof(Chain), input, new SubOrchestrationOptions { InstanceId = context.InstanceId + "-child" });
            try
            {
                await context.CallSubOrchestratorAsync<int>(nameof(LetsFailureThrough), null, new SubOrchestrationOptions { InstanceId = context.InstanceId + "-failing" });
                return $"{result}|no failure";
            }
            catch (TaskFailedException e)
            {
                return $"{result}|{e.FailureDetails.ErrorMessage}";
            }
        }
    }

    public sealed class NowAtStart : TaskOrchestrator<object?, DateTime>
    {
        public override Task<DateTime> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            return Task.FromResult(context.CurrentUtcDateTime);
        }
    }

    /// <summary>A day's wait, then an activity.</summary>
    public sealed class DelayedDouble : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            ArgumentNullException.ThrowIfNull(context);
            await context.CreateTimer(context.CurrentUtcDateTime.AddDays(1), CancellationToken.None);
            return await context.CallActivityAsync<int>(nameof(Doubler), input);
        }
    }

    /// <summary>Generation 0 waits a day and continues as new; generation 1 returns the "note" event.</summary>
    public sealed class RestartsOnce : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (input == 0)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.AddDays(1), CancellationToken.None);
                context.ContinueAsNew(1);
                return 0;
            }

            return await context.WaitForExternalEvent<int>("note");
        }
    }

    /// <summary>Continues as new without ever waiting: a loop the engine has to stop.</summary>
    public sealed class Restless : TaskOrchestrator<int, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.ContinueAsNew(input + 1);
            return Task.FromResult(0);
        }
    }

    public sealed class CallsHang : TaskOrchestrator<object?, object?>
    {
        public override async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            ArgumentNullException.ThrowIfNull(context);
            return await context.CallActivityAsync<object?>(nameof(Hang));
        }
    }
}
