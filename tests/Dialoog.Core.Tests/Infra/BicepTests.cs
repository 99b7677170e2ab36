using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Dialoog.Core.Tests.Infra;

/// <summary>
/// infra/main.bicep compiles and passes the linter with no warning, with the real Bicep CLI from the
/// Azure.Bicep.CommandLine.linux-x64 NuGet package (restored with this project, so CI needs nothing else).
/// </summary>
public sealed class BicepTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    [Fact]
    public async Task MainBicep_Builds_WithoutWarnings()
    {
        var output = Path.Combine(Path.GetTempPath(), $"dialoog-main-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, text) = await RunBicepAsync("build", Path.Combine(RepoRoot, "infra", "main.bicep"), "--outfile", output);

            Assert.True(exitCode == 0, text);
            Assert.True(text.Length == 0, $"bicep build reported:{Environment.NewLine}{text}");
            var template = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
            Assert.Equal(
                ["appUrl", "webAppName", "functionAppName", "storageAccountName", "keyVaultName", "functionsIdentityClientId", "webIdentityClientId"],
                template["outputs"]!.AsObject().Select(o => o.Key));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task MainBicep_Lint_ReportsNothing()
    {
        var (exitCode, text) = await RunBicepAsync("lint", Path.Combine(RepoRoot, "infra", "main.bicep"));

        Assert.True(exitCode == 0, text);
        Assert.True(text.Length == 0, $"bicep lint reported:{Environment.NewLine}{text}");
    }

    [Fact]
    public async Task Lint_CatchesAWarning_SoASilentRunMeansSomething()
    {
        var directory = Directory.CreateTempSubdirectory("dialoog-bicep-");
        try
        {
            var file = Path.Combine(directory.FullName, "unused.bicep");
            await File.WriteAllTextAsync(file, "param unused string = 'x'\n");

            var (_, text) = await RunBicepAsync("lint", file);

            Assert.Contains("no-unused-params", text, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void StorageModule_GivesEachAppOnlyItsRoles_AndTurnsOffKeysAndPublicBlobs()
    {
        var storage = Module("storage");

        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);
        Assert.Contains("allowBlobPublicAccess: false", storage, StringComparison.Ordinal);
        // The Functions app: Blob Data Owner (host state, deployment package), queues and tables, on the account.
        Assert.Contains("var functionsRoles = [roles.blobDataOwner, roles.queueDataContributor, roles.tableDataContributor]", storage, StringComparison.Ordinal);
        Assert.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", storage, StringComparison.Ordinal); // Storage Blob Data Owner
        // The web app: queues and tables on the account, blobs only in its own containers, never owner.
        Assert.Contains("var webAccountRoles = [roles.queueDataContributor, roles.tableDataContributor]", storage, StringComparison.Ordinal);
        Assert.Contains("scope: webBlobContainers[i]", storage, StringComparison.Ordinal);
        Assert.Contains("ba92f5b4-2d11-453d-a403-e96b0029c9fe", storage, StringComparison.Ordinal); // Storage Blob Data Contributor
    }

    [Fact]
    public void FunctionApp_IsAnIsolatedWorkerOnFlexConsumption_NotACustomHandler()
    {
        var functions = Module("functionapp");

        Assert.Contains("name: 'dotnet-isolated'", functions, StringComparison.Ordinal);
        Assert.Contains("version: '10.0'", functions, StringComparison.Ordinal);
        Assert.Contains("tier: 'FlexConsumption'", functions, StringComparison.Ordinal);
        Assert.DoesNotContain("custom", functions, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("AzureWebJobsStorage__credential: 'managedidentity'", functions, StringComparison.Ordinal);
        var main = File.ReadAllText(Path.Combine(RepoRoot, "infra", "main.bicep"));
        var maximum = int.Parse(Assert.Single(System.Text.RegularExpressions.Regex.Matches(main, @"param maximumInstanceCount int = (\d+)")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maximum >= 40, $"maximumInstanceCount is {maximum}; the issue asks for at least 40.");
    }

    [Fact]
    public void WebApp_IsAClientOnly_HttpsOnly_WithoutPublishingPasswords_SigningInWithEntra()
    {
        var web = Module("webapp");

        Assert.Contains("linuxFxVersion: 'DOTNETCORE|10.0'", web, StringComparison.Ordinal);
        Assert.Contains("httpsOnly: true", web, StringComparison.Ordinal);
        Assert.Contains("minTlsVersion: '1.2'", web, StringComparison.Ordinal);
        Assert.Contains("ftpsState: 'Disabled'", web, StringComparison.Ordinal);
        Assert.Contains("alwaysOn: true", web, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(web, @"basicPublishingCredentialsPolicies'\s*=\s*\{\s*name: '(ftp|scm)'\s*properties: \{\s*allow: false"));
        Assert.Contains("Durable__EnableWorker: 'false'", web, StringComparison.Ordinal);
        Assert.Contains("Privacy__PurgeInterval: '00:00:00'", web, StringComparison.Ordinal);
        Assert.Contains("Auth__Mode: 'Entra'", web, StringComparison.Ordinal);
    }

    private static string Module(string name) => File.ReadAllText(Path.Combine(RepoRoot, "infra", "modules", name + ".bicep"));

    private static async Task<(int ExitCode, string Output)> RunBicepAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(BicepPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update check, and no ICU needed on a bare CI machine.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    private static string BicepPath()
    {
        var directory = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCliDirectory").Value!;
        var path = Path.Combine(directory, "tools", "bicep");
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}; restore tests/Dialoog.Core.Tests.");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Bicep CLI package this project restores is the linux-x64 one.");
        }

        // NuGet extraction does not always keep the executable bit.
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }

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
}
