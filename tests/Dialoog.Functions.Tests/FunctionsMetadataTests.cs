using System.Reflection;
using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Dialoog.Core.Processes;

namespace Dialoog.Functions.Tests;

/// <summary>
/// The Functions app and the local engine cannot drift: the functions the SDK wrote into functions.metadata at build are
/// exactly the catalog's orchestrators and activities (with the right trigger) plus the housekeeping timers, and
/// host.json gives the Durable extension the same task hub settings the web app's client and the local engine use.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly TaskCatalog Catalog = ProcessRuntimeRegistration.Catalog();

    [Fact]
    public void EveryOrchestrator_HasAnOrchestrationTriggerFunction_AndNoOtherDoes()
    {
        Assert.Equal(Catalog.Orchestrators.Keys.Order(), NamesWithTrigger("orchestrationTrigger"));
    }

    [Fact]
    public void EveryActivity_HasAnActivityTriggerFunction_AndNoOtherDoes()
    {
        Assert.Equal(Catalog.Activities.Keys.Order(), NamesWithTrigger("activityTrigger"));
    }

    [Fact]
    public void BesidesTheCatalog_OnlyTheHousekeepingTimers()
    {
        Assert.Equal(["OutlookReplies", "RetentionPurge"], NamesWithTrigger("timerTrigger"));
        var triggers = new[] { "orchestrationTrigger", "activityTrigger", "timerTrigger" };
        Assert.All(Functions(), f => Assert.Single(Bindings(f), b => triggers.Contains((string?)b["type"], StringComparer.OrdinalIgnoreCase)));
        Assert.Equal(Catalog.Orchestrators.Count + Catalog.Activities.Count + 2, Functions().Count);
    }

    [Fact]
    public void EveryFunction_RunsFromTheAppAssembly()
    {
        Assert.All(Functions(), f =>
        {
            Assert.Equal("Dialoog.Functions.dll", (string?)f["scriptFile"]);
            Assert.StartsWith("Dialoog.Functions.", (string?)f["entryPoint"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public void HostJson_GivesTheDurableExtension_TheEngineSettingsEveryHostUses()
    {
        var engine = new EngineOptions();
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "host.json")))!["extensions"]!["durableTask"]!;
        var storage = durable["storageProvider"]!;
        Assert.Equal(engine.TaskHub, (string?)durable["hubName"]);
        Assert.Equal(Catalog.CurrentVersion, (string?)durable["defaultVersion"]);
        Assert.Equal(engine.MaxConcurrentOrchestrations, (int?)durable["maxConcurrentOrchestratorFunctions"]);
        Assert.Equal(engine.MaxConcurrentActivities, (int?)durable["maxConcurrentActivityFunctions"]);
        Assert.Equal(engine.ExtendedSessions, (bool?)durable["extendedSessionsEnabled"]);
        Assert.Equal("AzureStorage", (string?)storage["type"]);
        Assert.Equal(engine.PartitionCount, (int?)storage["partitionCount"]);
        Assert.Equal(engine.MaxQueuePollingInterval, TimeSpan.Parse((string)storage["maxQueuePollingInterval"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(engine.MessageVisibilityTimeout, TimeSpan.Parse((string)storage["controlQueueVisibilityTimeout"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(engine.MessageVisibilityTimeout, TimeSpan.Parse((string)storage["workItemQueueVisibilityTimeout"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool?)storage["useTablePartitionManagement"]);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "host.json")))!["customHandler"]);
    }

    [Fact]
    public void TheBuild_WritesTheExtensionsTheHostLoads()
    {
        // Timers are built into the host; the Durable extension comes with the app, in .azurefunctions/.
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(OutputFolder(), "extensions.json")))!["extensions"]!.AsArray();
        var durable = Assert.Single(extensions, e => (string?)e!["name"] == "DurableTask")!;
        Assert.True(File.Exists(Path.Combine(OutputFolder(), (string)durable["hintPath"]!)), "The Durable extension's assembly is in the build output.");
        Assert.True(File.Exists(Path.Combine(OutputFolder(), "host.json")), "host.json is linked into the build output.");
    }

    private static List<string> NamesWithTrigger(string trigger) =>
        Functions()
            .Where(f => Bindings(f).Any(b => string.Equals((string?)b["type"], trigger, StringComparison.OrdinalIgnoreCase)))
            .Select(f => (string)f["name"]!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<JsonNode> Bindings(JsonNode function) => function["bindings"]!.AsArray().Select(b => b!);

    private static List<JsonNode> Functions() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(OutputFolder(), "functions.metadata")))!.AsArray().Select(f => f!).ToList();

    /// <summary>The Functions project's build output for this test's configuration (the project reference builds it first).</summary>
    private static string OutputFolder()
    {
        var configuration = typeof(FunctionsMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var folder = Path.Combine(RepoRoot(), "functions", "Dialoog.Functions", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(folder, "functions.metadata")), $"No functions.metadata in {folder}: build the Functions project first.");
        return folder;
    }

    private static string RepoRoot()
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
