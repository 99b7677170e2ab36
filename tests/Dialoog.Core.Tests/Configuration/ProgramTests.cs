using System.Diagnostics;
using Dialoog.Web.Hosting;

namespace Dialoog.Core.Tests.Configuration;

/// <summary>The executable itself, as an operator runs it.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Executable_RequiredSettingMissing_ExitsWithCode1AndOneLinePerProblem()
    {
        var appDll = typeof(DialoogApp).Assembly.Location;
        var emptyFolder = Directory.CreateTempSubdirectory("dialoog-program-test");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = emptyFolder.FullName, // no local.settings.json here
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(appDll);
            start.ArgumentList.Add("--urls=http://127.0.0.1:0");
            foreach (var (key, value) in Testing.RunningApp.ValidSettings())
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            start.Environment["Mail__Provider"] = "SendGrid";
            start.Environment["Mail__SendGrid__ApiKey"] = "";
            start.Environment["Links__SigningKey"] = "";

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(1, process.ExitCode);
            var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(
                [
                    "Setting 'Mail__SendGrid__ApiKey' is required when 'Mail__Provider' is 'SendGrid'.",
                    "Setting 'Links__SigningKey' must be base64 of at least 32 random bytes, e.g. the output of 'openssl rand -base64 32'.",
                ],
                lines);
            Assert.DoesNotContain(" at ", await stdout, StringComparison.Ordinal); // no stack trace in the logs either
        }
        finally
        {
            emptyFolder.Delete(recursive: true);
        }
    }
}
