using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Dialoog.Functions.Hosting;
using Dialoog.Functions.Tests.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Dialoog.Functions.Tests.Hosting;

/// <summary>
/// host.json and the function.json folders against the app: the function list and the handler's routes cannot drift
/// apart, and the settings the Functions host reads fit the runtime.
/// </summary>
public sealed class FunctionAppLayoutTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    [Fact]
    public async Task FunctionFolders_AndHandlerRoutes_AreTheSameSet()
    {
        var triggerFunctions = Functions().Where(f => Trigger(f.Json)["type"]!.GetValue<string>() != "httpTrigger").Select(f => f.Name).Order().ToList();

        var settings = RunningApp.ValidSettings();
        settings[FunctionsHandler.PortSetting] = "0";
        await using var app = RunningApp.Build(settings);
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Function: e.Metadata.GetMetadata<FunctionsHandlerRoute>()))
            .Where(e => e.Function is not null)
            .ToList();

        Assert.Equal(triggerFunctions, routes.Select(r => r.Function!.FunctionName).Order());
        Assert.Equal(triggerFunctions, FunctionsHandler.TriggerFunctions.Order());
        Assert.All(routes, r => Assert.Equal("/" + r.Function!.FunctionName, r.Endpoint.RoutePattern.RawText));
    }

    [Fact]
    public void HttpFunction_ForwardsEveryMethodAndPath_ButTheHandlerRoutes()
    {
        var (name, json) = Assert.Single(Functions(), f => Trigger(f.Json)["type"]!.GetValue<string>() == "httpTrigger");
        Assert.Equal(FunctionsHandler.HttpFunction, name);
        var trigger = Trigger(json);
        Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(["delete", "get", "head", "options", "patch", "post", "put"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).Order());

        // The Functions host parses routes with ASP.NET Core routing, as this does.
        var pattern = RoutePatternFactory.Parse(trigger["route"]!.GetValue<string>());
        var path = Assert.Single(pattern.Parameters);
        Assert.True(path.IsCatchAll);
        var regex = Assert.Single(path.ParameterPolicies).Content!;
        Assert.StartsWith("regex(", regex, StringComparison.Ordinal);
        var constraint = new RegexRouteConstraint(regex["regex(".Length..^1]);
        bool Forwarded(string value) => constraint.Match(null, null, "path", new RouteValueDictionary { ["path"] = value }, RouteDirection.IncomingRequest);

        // A public request must never reach a handler route (that would let anyone post queue messages).
        Assert.All(FunctionsHandler.TriggerFunctions, f =>
        {
            Assert.False(Forwarded(f));
            Assert.False(Forwarded(f.ToUpperInvariant() + "/"));
        });
        Assert.All(["", "api/processes", "health/ready", "l/abc.def", "openapi/v1.json", "housekeeping/x"], p => Assert.True(Forwarded(p), p));
    }

    [Fact]
    public void HousekeepingFunction_IsATimer()
    {
        var trigger = Trigger(Functions().Single(f => f.Name == FunctionsHandler.HousekeepingFunction).Json);

        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(6, trigger["schedule"]!.GetValue<string>().Split(' ').Length); // NCRONTAB with seconds
    }

    [Fact]
    public void HostJson_RunsThePublishedExecutable_WithSettingsThatFitTheRuntime()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "host.json")))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal(typeof(DialoogApp).Assembly.GetName().Name, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>()); // the app's own paths, unprefixed

        Assert.NotNull(host["logging"]!["applicationInsights"]!["samplingSettings"]);
    }

    [Fact]
    public void PublishScript_PackagesEveryFunctionFolderAndHostJson()
    {
        var script = File.ReadAllText(Path.Combine(RepoRoot, ".ci", "publish.sh"));

        Assert.Contains("functions/app/*/", script, StringComparison.Ordinal);
        Assert.Contains("cp host.json", script, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64 --self-contained true", script, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, JsonNode Json)> Functions() =>
        Directory.GetDirectories(Path.Combine(RepoRoot, "functions", "app"))
            .Select(d => (Path.GetFileName(d), JsonNode.Parse(File.ReadAllText(Path.Combine(d, "function.json")))!));

    private static JsonNode Trigger(JsonNode function) =>
        Assert.Single(function["bindings"]!.AsArray(), b => b!["direction"]!.GetValue<string>() == "in")!;

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
