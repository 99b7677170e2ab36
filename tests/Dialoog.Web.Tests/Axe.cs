using System.Text.Json;
using Microsoft.Playwright;

namespace Dialoog.Web.Tests;

/// <summary>Runs axe-core on the page for WCAG 2.0/2.1 A and AA and fails with every violation spelled out.</summary>
internal static class Axe
{
    public static async Task AssertNoViolationsAsync(IPage page, string axeSource)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = axeSource });
        }

        var result = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))"
            + ".violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary) }))");
        var violations = result.EnumerateArray().Select(v => $"{v.GetProperty("id")}: {v.GetProperty("help")}\n    " + string.Join("\n    ", v.GetProperty("nodes").EnumerateArray())).ToList();
        Assert.True(violations.Count == 0, $"axe found WCAG violations on {page.Url}:\n" + string.Join("\n", violations));
    }
}
