using Microsoft.Playwright;

namespace Dialoog.Web.Tests;

/// <summary>
/// One headless Chromium for the test class: Debian's chromium through <c>ExecutablePath</c>, because Playwright cannot
/// download its own browser here. <c>DIALOOG_CHROMIUM</c> points at another executable.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string AxeSource { get; private set; } = "";

    public string ArtifactsDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("DIALOOG_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No chromium found for the browser tests. Install it (apt-get install chromium) or set DIALOOG_CHROMIUM.");
        var root = RepoRoot();
        var axe = Path.Combine(root, "node_modules", "axe-core", "axe.min.js");
        AxeSource = File.Exists(axe) ? await File.ReadAllTextAsync(axe) : throw new InvalidOperationException($"{axe} is missing: run 'npm ci' in the repository root.");
        ArtifactsDirectory = Path.Combine(root, "TestResults", "screenshots");
        Directory.CreateDirectory(ArtifactsDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dialoog.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Dialoog.Functions.sln) not found above " + AppContext.BaseDirectory);
    }
}
