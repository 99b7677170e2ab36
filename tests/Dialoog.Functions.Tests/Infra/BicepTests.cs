using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Dialoog.Functions.Tests.Infra;

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
            Assert.Equal(["appUrl", "functionAppName", "storageAccountName", "keyVaultName", "identityClientId"], template["outputs"]!.AsObject().Select(o => o.Key));
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
    public void StorageModule_GrantsTheDataRoles_AndTurnsOffKeysAndPublicBlobs()
    {
        var storage = File.ReadAllText(Path.Combine(RepoRoot, "infra", "modules", "storage.bicep"));

        Assert.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", storage, StringComparison.Ordinal); // Storage Blob Data Owner
        Assert.Contains("974c5e8b-45b9-4653-ba55-5f855dd0fb88", storage, StringComparison.Ordinal); // Storage Queue Data Contributor
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", storage, StringComparison.Ordinal); // Storage Table Data Contributor
        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);
        Assert.Contains("allowBlobPublicAccess: false", storage, StringComparison.Ordinal);
    }

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
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}; restore tests/Dialoog.Functions.Tests.");
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
