using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Configuration;

/// <summary>Turns the exceptions that bad settings cause at start into one readable line per problem.</summary>
public static partial class SettingsErrors
{
    public static bool TryDescribe(Exception exception, [NotNullWhen(true)] out IReadOnlyList<string>? problems)
    {
        var lines = new List<string>();
        if (!Collect(exception, lines))
        {
            problems = null;
            return false;
        }

        problems = lines;
        return true;
    }

    private static bool Collect(Exception exception, List<string> lines)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                lines.AddRange(validation.Failures.Select(Unwrap));
                return true;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.All(inner => Collect(inner, lines));
            case InvalidOperationException when BindingFailure().Match(exception.Message) is { Success: true } match:
                lines.Add($"Setting '{match.Groups["path"].Value.Replace(":", "__", StringComparison.Ordinal)}' "
                    + $"must be {Describe(match.Groups["type"].Value)} (found '{match.Groups["value"].Value}').");
                return true;
            default:
                return false;
        }
    }

    // ValidateDataAnnotations wraps our message in "DataAnnotation validation failed for ... with the error: '...'."
    private static string Unwrap(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure;

    private static string Describe(string type) => type switch
    {
        "System.Int32" => "a whole number",
        "System.Boolean" => "'true' or 'false'",
        _ => $"a valid {type}",
    };

    [GeneratedRegex(@"with the error: '(?<message>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BindingFailure();
}
