using System.Text.Json.Nodes;

namespace Dialoog.Core.Processes.Definition;

/// <summary>JSON Merge Patch (RFC 7396): objects merge field by field, <c>null</c> removes a field, anything else (arrays too) replaces.</summary>
public static class JsonMergePatch
{
    /// <summary>The patched document; neither argument is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
