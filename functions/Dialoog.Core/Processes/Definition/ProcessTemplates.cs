using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dialoog.Core.Processes.Definition;

/// <summary>What <c>GET /api/templates</c> lists: the name to ask for, and Dutch text for the coordinator.</summary>
public sealed record TemplateSummary(string Name, string Title, string Description);

/// <summary>The outcome of <see cref="ProcessTemplates.Resolve"/>: a definition ready to start, or the field errors (never both).</summary>
public sealed record DefinitionResult(ProcessDefinition? Definition, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Definition is not null && Errors.Count == 0;
}

/// <summary>
/// Ready process shapes (sjablonen), one JSON file each in a directory: <c>{ "title", "description", "definition" }</c>
/// where <c>definition</c> is a partial definition in the draft form of <see cref="DefinitionDraft"/> (sessions with
/// relative times). The file name without <c>.json</c> is the template's name. Files are read once, at construction; a
/// broken file fails then, with its name.
/// </summary>
public sealed class ProcessTemplates
{
    /// <summary>Where templates live, relative to the repository root and to the build output.</summary>
    public static readonly string RelativeDirectory = Path.Combine("seeds", "templates");

    private const string NothingSent = "Stuur een dialoogtraject mee, of kies een sjabloon.";

    private readonly Dictionary<string, (TemplateSummary Summary, JsonObject Definition)> templates;

    public ProcessTemplates(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new DirectoryNotFoundException($"Template directory '{Directory}' does not exist.");
        }

        templates = new(StringComparer.OrdinalIgnoreCase);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            templates[name] = ReadTemplate(name, file);
        }
    }

    public string Directory { get; }

    /// <summary>
    /// Templates from <paramref name="directory"/>, or else from the first <c>seeds/templates</c> found walking up from
    /// <paramref name="contentRoot"/> and from <see cref="AppContext.BaseDirectory"/> (the build output carries a copy).
    /// </summary>
    public static ProcessTemplates Load(string? directory = null, string? contentRoot = null) =>
        new(!string.IsNullOrWhiteSpace(directory)
            ? directory
            : FindDirectory(contentRoot, AppContext.BaseDirectory)
              ?? throw new DirectoryNotFoundException(
                  $"No '{RelativeDirectory}' directory found above '{contentRoot ?? AppContext.BaseDirectory}' or '{AppContext.BaseDirectory}'."));

    /// <summary>The first <c>seeds/templates</c> directory in or above one of <paramref name="startDirectories"/>.</summary>
    public static string? FindDirectory(params string?[] startDirectories)
    {
        ArgumentNullException.ThrowIfNull(startDirectories);
        foreach (var start in startDirectories.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            for (var directory = new DirectoryInfo(start!); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, RelativeDirectory);
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    public IReadOnlyList<string> Names => [.. templates.Keys.Order(StringComparer.Ordinal)];

    public IReadOnlyList<TemplateSummary> List() => [.. Names.Select(name => templates[name].Summary)];

    /// <summary>The template's partial definition (a copy), e.g. to fill in a form; null for an unknown name.</summary>
    public JsonObject? GetDraft(string name) =>
        templates.TryGetValue(name, out var template) ? (JsonObject)template.Definition.DeepClone() : null;

    /// <summary>
    /// Builds a definition: the template's draft (if <paramref name="templateName"/> is given) with
    /// <paramref name="definitionOrOverrides"/> merged over it as a JSON Merge Patch (RFC 7396: objects merge, arrays
    /// replace, null removes); without a template the object is the whole draft. Then relative session times are
    /// resolved against <paramref name="nowUtc"/> (<see cref="DefinitionDraft"/>), the JSON is read with
    /// <see cref="DefinitionJson.Options"/>, normalized and validated. Errors are keyed like the validator's.
    /// </summary>
    public DefinitionResult Resolve(string? templateName, JsonObject? definitionOrOverrides, DateTime nowUtc)
    {
        JsonObject draft;
        if (string.IsNullOrWhiteSpace(templateName))
        {
            if (definitionOrOverrides is null)
            {
                return Failed(DefinitionJson.Root, NothingSent);
            }

            draft = (JsonObject)definitionOrOverrides.DeepClone();
        }
        else if (templates.TryGetValue(templateName.Trim(), out var template))
        {
            draft = definitionOrOverrides is null
                ? (JsonObject)template.Definition.DeepClone()
                : (JsonObject)JsonMergePatch.Apply(template.Definition, definitionOrOverrides)!;
            draft["template"] = template.Summary.Name;
        }
        else
        {
            return Failed("template", $"Er is geen sjabloon {DutchText.Quote(templateName)}. Kies een van deze: {DutchText.List(Names)}.");
        }

        var draftErrors = DefinitionDraft.Resolve(draft, nowUtc);
        if (draftErrors.Count > 0)
        {
            return new DefinitionResult(null, draftErrors);
        }

        ProcessDefinition? definition;
        try
        {
            definition = draft.Deserialize<ProcessDefinition>(DefinitionJson.Options);
        }
        catch (JsonException exception)
        {
            var (key, message) = DefinitionJson.Describe(exception, typeof(ProcessDefinition));
            return Failed(key, message);
        }

        if (definition is null)
        {
            return Failed(DefinitionJson.Root, NothingSent);
        }

        definition = ProcessDefinitionNormalizer.Normalize(definition);
        var errors = ProcessDefinitionValidator.Validate(definition, nowUtc);
        return errors.Count == 0 ? new DefinitionResult(definition, errors) : new DefinitionResult(null, errors);
    }

    private static DefinitionResult Failed(string key, string message) =>
        new(null, new Dictionary<string, string[]>(StringComparer.Ordinal) { [key] = [message] });

    private static (TemplateSummary, JsonObject) ReadTemplate(string name, string file)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new InvalidDataException("the file does not hold a JSON object");
            var title = root["title"]?.GetValue<string>();
            var description = root["description"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(description) || root["definition"] is not JsonObject definition)
            {
                throw new InvalidDataException("it needs 'title' and 'description' (text) and 'definition' (an object)");
            }

            return (new TemplateSummary(name, title, description), definition);
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or InvalidOperationException)
        {
            throw new InvalidDataException($"Template '{file}' cannot be read: {exception.Message}", exception);
        }
    }
}
