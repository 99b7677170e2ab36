using System.Globalization;
using System.Text.Json;

namespace Dialoog.Core.Configuration;

/// <summary>
/// Reads <c>local.settings.json</c> the way the Azure Functions tools do: the <c>Values</c> object holds flat
/// settings whose <c>A__B</c> keys mean section <c>A:B</c>, and <c>Host.LocalHttpPort</c> sets the listening port.
/// </summary>
public sealed class LocalSettingsConfigurationSource(string path) : IConfigurationSource
{
    public string Path { get; } = path;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new LocalSettingsConfigurationProvider(Path);
}

internal sealed class LocalSettingsConfigurationProvider(string path) : ConfigurationProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Read(document.RootElement, data);
        }

        Data = data;
    }

    private static void Read(JsonElement root, Dictionary<string, string?> data)
    {
        if (root.TryGetProperty("Values", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in values.EnumerateObject())
            {
                data[setting.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = AsString(setting.Value);
            }
        }

        if (root.TryGetProperty("Host", out var host) && host.TryGetProperty("LocalHttpPort", out var port)
            && port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out var portNumber))
        {
            data["urls"] = string.Create(CultureInfo.InvariantCulture, $"http://localhost:{portNumber}");
        }
    }

    // The Functions tools accept numbers and booleans in Values and treat them as their text.
    private static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}

public static class FunctionsConfigurationExtensions
{
    public const string LocalSettingsFileName = "local.settings.json";

    /// <summary>
    /// Adds <c>local.settings.json</c> from the content root (where host.json lives in a Functions app), then the
    /// environment variables and command line again so they win over the file, as they do under the Functions host.
    /// </summary>
    public static IConfigurationBuilder AddFunctionsConfiguration(this IConfigurationBuilder configuration, string contentRoot, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Add(new LocalSettingsConfigurationSource(System.IO.Path.Combine(contentRoot, LocalSettingsFileName)));
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        return configuration;
    }
}
