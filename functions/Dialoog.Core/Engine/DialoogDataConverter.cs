using System.Text.Json;
using Microsoft.DurableTask.Converters;

namespace Dialoog.Core.Engine;

/// <summary>
/// The one serializer of inputs, outputs, events and custom status, shared by the worker shims and the client, so a
/// payload written by one reads back in the other.
/// </summary>
/// <remarks>
/// It writes what the Durable Functions isolated worker writes by default, so instances move between hosts unchanged.
/// That worker's DataConverter is <c>ObjectConverterShim</c> over <c>WorkerOptions.Serializer</c>
/// (Azure/azure-functions-durable-extension, src/Worker.Extensions.DurableTask/DurableTaskExtensionStartup.cs), and the
/// Functions worker defaults that to <c>new JsonObjectSerializer(IOptions&lt;JsonSerializerOptions&gt;.Value)</c>
/// (Azure/azure-functions-dotnet-worker, src/DotNetWorker.Core/Hosting/ServiceCollectionExtensions.cs,
/// WorkerOptionsSetup), whose only configuration is <c>PropertyNameCaseInsensitive = true</c>
/// (src/DotNetWorker/Hosting/ServiceCollectionExtensions.cs, ConfigureJsonSerializerOptions). So: System.Text.Json
/// defaults, property names as declared (PascalCase, no naming policy), read case-insensitively; null stays null.
/// </remarks>
public sealed class DialoogDataConverter : JsonDataConverter
{
    private DialoogDataConverter()
        : base(CreateOptions())
    {
    }

    public static DialoogDataConverter Instance { get; } = new();

    /// <summary>A fresh copy of the options the converter uses (for code that serializes payloads outside the engine).</summary>
    public static JsonSerializerOptions CreateOptions() => new() { PropertyNameCaseInsensitive = true };
}
