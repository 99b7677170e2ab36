using System.Diagnostics;
using System.Globalization;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Testing;

/// <summary>The shared fixture must never leave Azurite or MailDev running, not even when the test host is killed.</summary>
public sealed class DevStackFixtureTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dispose_AfterInitialize_LeavesNoChildProcessBehind()
    {
        var stack = new DevStackFixture();
        await stack.InitializeAsync();
        var processIds = stack.ProcessIds.ToList();
        Assert.Equal(2, processIds.Count);
        Assert.All(processIds, pid => Assert.False(DevStackFixture.IsProcessGone(pid)));

        await stack.DisposeAsync();

        await Eventually.HoldsAsync(() => processIds.All(DevStackFixture.IsProcessGone), "every dev-stack process exited", ExitDeadline);
        Assert.Empty(stack.ProcessIds);
    }

    [Fact]
    public async Task ParentGuard_ParentKilledWhileStdinStaysOpen_ChildExits()
    {
        // bash starts a guarded node that would run forever, hands it bash's stdin (our pipe, which we keep open, so
        // only the parent-alive poll can notice), prints its PID and waits. Then bash dies by SIGKILL.
        var guard = new DevStackFixture().ParentGuardPath;
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""exec 3<&0; DIALOOG_PARENT_PID=$$ node --require "$1" -e 'setInterval(() => {}, 1000)' <&3 3<&- & echo $!; exec 3<&-; wait""");
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(guard);
        using var parent = Process.Start(start)!;
        var childId = int.Parse(await parent.StandardOutput.ReadLineAsync() ?? "", CultureInfo.InvariantCulture);
        try
        {
            Assert.False(DevStackFixture.IsProcessGone(childId));

            parent.Kill(entireProcessTree: false);

            await Eventually.HoldsAsync(() => DevStackFixture.IsProcessGone(childId), "guarded node exited after its parent died", ExitDeadline);
        }
        finally
        {
            KillIfRunning(childId);
        }
    }

    [Fact]
    public async Task ParentGuard_StdinPipeClosed_ChildExits()
    {
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--require", new DevStackFixture().ParentGuardPath, "-e", "setInterval(() => {}, 1000)" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DIALOOG_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var child = Process.Start(start)!;
        try
        {
            Assert.False(child.HasExited);

            child.StandardInput.Close();

            using var timeout = new CancellationTokenSource(ExitDeadline);
            await child.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            KillIfRunning(child.Id);
        }
    }

    private static void KillIfRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone, as it should be.
        }
    }
}
