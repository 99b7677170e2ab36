using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Dialoog.Testing;

/// <summary>
/// Azurite (in memory) and MailDev as child processes on free loopback ports, shared by a test collection.
/// Every child runs under <c>parent-guard.cjs</c>, so it exits when this test process dies, however it dies.
/// </summary>
public sealed class DevStackFixture : IAsyncLifetime
{
    /// <summary>The well-known Azurite account key; public by design, it only opens the local emulator.</summary>
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly object gate = new();
    private ChildProcess? azurite;
    private ChildProcess? mailDev;

    public DevStackFixture()
    {
        RepoRoot = FindRepoRoot();
        AssignPorts();
    }

    // Ports are picked free, then released for the child to bind; another process can take one in between,
    // so start-up retries with new ports.
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(StorageConnectionString), nameof(MailDevApi))]
    private void AssignPorts()
    {
        var ports = FreePorts(5);
        (BlobPort, QueuePort, TablePort, SmtpPort, MailDevWebPort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        StorageConnectionString = string.Create(CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};"
            + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};"
            + $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};");
        MailDevApi = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{MailDevWebPort}/api/"));
    }

    /// <summary>The repository root (the folder with Dialoog.Functions.sln).</summary>
    public string RepoRoot { get; }

    /// <summary>Connection string for this fixture's Azurite, with explicit endpoints (not the default ports).</summary>
    public string StorageConnectionString { get; private set; }

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    public int SmtpPort { get; private set; }

    public int MailDevWebPort { get; private set; }

    /// <summary>MailDev's JSON API: <c>email</c>, <c>email/{id}/source</c>, <c>email/all</c>, <c>healthz</c>.</summary>
    public Uri MailDevApi { get; private set; }

    /// <summary>The guard script every child is started with.</summary>
    public string ParentGuardPath => Path.Combine(RepoRoot, "tests", "Shared", "parent-guard.cjs");

    /// <summary>Process ids of the children that are running now.</summary>
    public IReadOnlyCollection<int> ProcessIds
    {
        get
        {
            lock (gate)
            {
                return new[] { azurite, mailDev }.OfType<ChildProcess>().Select(c => c.Id).ToArray();
            }
        }
    }

    /// <summary>
    /// A folder for Azurite's data, so it survives a restart (<see cref="RestartAzuriteAsync"/>); null keeps
    /// everything in memory, which is faster and what the tests use.
    /// </summary>
    public string? AzuriteLocation { get; init; }

    /// <summary>A task hub name no other test uses: valid as a table, queue and container prefix.</summary>
    public string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit += KillChildrenOnExit;
        await EnsureNodeModulesAsync(RepoRoot);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.WhenAll(StartAzuriteAsync(), StartMailDevAsync());
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException && attempt < 3)
            {
                // A port taken meanwhile, or a child that hung at start on a busy machine (seen once, silent for 30 s):
                // new ports, fresh children.
                await Task.WhenAll(StopAzuriteAsync(), StopMailDevAsync());
                AssignPorts();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(StopAzuriteAsync(), StopMailDevAsync());
        AppDomain.CurrentDomain.ProcessExit -= KillChildrenOnExit;
    }

    /// <summary>Starts Azurite (again) on this fixture's ports and waits until all three services answer.</summary>
    public async Task StartAzuriteAsync()
    {
        string[] persistence = AzuriteLocation is null ? ["--inMemoryPersistence"] : ["--location", AzuriteLocation];
        var child = Start("azurite", Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js"),
        [
            "--blobHost", "127.0.0.1", "--blobPort", Invariant(BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Invariant(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Invariant(TablePort),
            .. persistence, "--skipApiVersionCheck", "--disableTelemetry", "--silent", "--loose",
        ]);
        lock (gate)
        {
            azurite = child;
        }

        await child.WaitUntilReadyAsync(async () =>
        {
            using var blob = await Http.GetAsync(new Uri($"http://127.0.0.1:{Invariant(BlobPort)}/{AccountName}?comp=list"));
            var server = string.Join(' ', blob.Headers.Server.Select(s => s.ToString()));
            return server.StartsWith("Azurite-Blob", StringComparison.Ordinal)
                && await AnswersHttpAsync(QueuePort) && await AnswersHttpAsync(TablePort);
        });
    }

    public Task StopAzuriteAsync() => StopAsync(ref azurite);

    /// <summary>
    /// Stops Azurite the way an operator would (SIGTERM: it writes its data to <see cref="AzuriteLocation"/> and exits)
    /// and starts it again on the same ports. Storage is gone for those seconds; clients see refused connections.
    /// </summary>
    public async Task RestartAzuriteAsync()
    {
        if (AzuriteLocation is null)
        {
            throw new InvalidOperationException("A restart keeps data only with AzuriteLocation set.");
        }

        ChildProcess? child;
        lock (gate)
        {
            child = azurite;
            azurite = null;
        }

        if (child is not null)
        {
            await child.TerminateAsync();
        }

        await StartAzuriteAsync();
    }

    /// <summary>Starts MailDev (again) on this fixture's ports and waits until its API and SMTP answer.</summary>
    public async Task StartMailDevAsync()
    {
        var child = Start("maildev", Path.Combine("node_modules", "maildev", "dist", "bin", "maildev.js"),
            "--smtp", Invariant(SmtpPort), "--web", Invariant(MailDevWebPort),
            "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent");
        lock (gate)
        {
            mailDev = child;
        }

        await child.WaitUntilReadyAsync(async () =>
        {
            using var health = await Http.GetAsync(new Uri(MailDevApi, "healthz"));
            if (!health.IsSuccessStatusCode)
            {
                return false;
            }

            using var smtp = new TcpClient();
            await smtp.ConnectAsync(IPAddress.Loopback, SmtpPort);
            return true;
        });
    }

    public Task StopMailDevAsync() => StopAsync(ref mailDev);

    /// <summary>True when no process with this id runs any more (a zombie waiting to be reaped counts as gone).</summary>
    public static bool IsProcessGone(int processId)
    {
        var stat = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat";
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // Format: "pid (comm) state ..."; comm may contain spaces, so read the state after the last ')'.
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..][0];
                return state is 'Z' or 'X';
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return true;
            }
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private Task StopAsync(ref ChildProcess? slot)
    {
        ChildProcess? child;
        lock (gate)
        {
            child = slot;
            slot = null;
        }

        return child is null ? Task.CompletedTask : child.StopAsync();
    }

    private ChildProcess Start(string name, string entry, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoRoot,
            UseShellExecute = false,
            RedirectStandardInput = true, // the guard watches this pipe: it closes when we die
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(ParentGuardPath);
        start.ArgumentList.Add(Path.Combine(RepoRoot, entry));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DIALOOG_PARENT_PID"] = Invariant(Environment.ProcessId);
        return ChildProcess.Start(name, start);
    }

    private void KillChildrenOnExit(object? sender, EventArgs e)
    {
        lock (gate)
        {
            azurite?.Kill();
            mailDev?.Kill();
        }
    }

    private static async Task<bool> AnswersHttpAsync(int port)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{Invariant(port)}/"));
        return true; // any HTTP answer, even an error status, means the service listens
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dialoog.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Dialoog.Functions.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Asks the OS for free ports; all listeners stay open until every port is chosen, so they differ.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>
    /// Runs <c>npm ci</c> when the packages are missing. An exclusive lock file makes a second test project (running
    /// in parallel) wait for the first one's install instead of installing over it.
    /// </summary>
    private static async Task EnsureNodeModulesAsync(string repoRoot)
    {
        if (HasNodePackages(repoRoot))
        {
            return;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(repoRoot)))[..12];
        var lockPath = Path.Combine(Path.GetTempPath(), $"dialoog-npm-ci-{hash}.lock");
        using var exclusive = await AcquireLockAsync(lockPath, TimeSpan.FromMinutes(5));
        if (HasNodePackages(repoRoot))
        {
            return; // installed by whoever held the lock before us
        }

        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = repoRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = ChildProcess.Start("npm ci", start);
        await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
    }

    private static bool HasNodePackages(string repoRoot) =>
        File.Exists(Path.Combine(repoRoot, "node_modules", "azurite", "package.json"))
        && File.Exists(Path.Combine(repoRoot, "node_modules", "maildev", "package.json"));

    private static async Task<FileStream> AcquireLockAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>A started child process with the tail of its output kept for error messages.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private const int OutputLimit = 8_000;
        private readonly StringBuilder output = new();
        private readonly Process process;
        private readonly string name;

        private ChildProcess(string name, Process process)
        {
            this.name = name;
            this.process = process;
        }

        public int Id => process.Id;

        public static ChildProcess Start(string name, ProcessStartInfo start)
        {
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var child = new ChildProcess(name, process);
            process.OutputDataReceived += (_, e) => child.Append(e.Data);
            process.ErrorDataReceived += (_, e) => child.Append(e.Data);
            if (!process.Start())
            {
                throw new InvalidOperationException($"Could not start {name} ({start.FileName}).");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>Polls <paramref name="isReady"/> until it says yes; fails fast with the output if the child exits.</summary>
        public async Task WaitUntilReadyAsync(Func<Task<bool>> isReady)
        {
            var deadline = DateTime.UtcNow + StartDeadline;
            Exception? lastError = null;
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"{name} exited with code {process.ExitCode} before it was ready. Output:{Environment.NewLine}{Output}");
                }

                try
                {
                    if (await isReady())
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
                {
                    lastError = ex; // not listening yet
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            Kill();
            throw new TimeoutException(
                $"{name} did not answer within {StartDeadline.TotalSeconds} s (last error: {lastError?.Message}). Output:{Environment.NewLine}{Output}");
        }

        public async Task WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancel.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{name} failed with exit code {process.ExitCode}. Output:{Environment.NewLine}{Output}");
            }
        }

        public async Task StopAsync()
        {
            Kill();
            using var cancel = new CancellationTokenSource(StopDeadline);
            await process.WaitForExitAsync(cancel.Token);
            Dispose();
        }

        /// <summary>SIGTERM, then the usual kill if the child has not exited in time.</summary>
        public async Task TerminateAsync()
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var cancel = new CancellationTokenSource(StartDeadline);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }

            Dispose();
        }

        public void Kill()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }

        public void Dispose() => process.Dispose();

        private string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (output.Length > OutputLimit)
                {
                    output.Remove(0, output.Length - OutputLimit);
                }
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DevStackCollection : ICollectionFixture<DevStackFixture>
{
    public const string Name = "DevStack";
}

/// <summary>
/// A second Azurite and MailDev for the slow end-to-end classes, which mostly wait on real timers: xunit runs the two
/// collections side by side, so those waits overlap with the rest of the suite instead of adding to it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SecondDevStackCollection : ICollectionFixture<DevStackFixture>
{
    public const string Name = "DevStack2";
}
