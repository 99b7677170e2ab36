using System.Text.RegularExpressions;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Phone numbers as people in the Netherlands write them: 06-12345678, 020 123 4567, (020) 1234567, +31 6 12345678,
/// +31 (0)6 12345678, 0031 6 12345678, or a foreign number with + or 00. The number is kept as typed (that is how
/// the coordinator knows it); its international form is for comparing and for <c>tel:</c> links. A participant's number
/// must be one that can be called (<see cref="ToInternational"/>); a coordinator's, printed on letters, may also be a
/// service number such as 0800 or a municipality's 14 number (<see cref="IsValid"/>).
/// </summary>
public static partial class PhoneNumbers
{
    public const int MaxLength = 30;

    /// <summary>The number as +31612345678, or null when it is not a number that can be called.</summary>
    public static string? ToInternational(string? phone) => Callable(Digits(phone));

    /// <summary>A <c>tel:</c> link for the number, or null when it cannot be called.</summary>
    public static string? TelLink(string? phone) => ToInternational(phone) is { } number ? "tel:" + number : null;

    /// <summary>
    /// Trimmed, with every run of white space (tabs, non-breaking spaces from a copied e-mail signature) as one
    /// space; null when nothing is left.
    /// </summary>
    public static string? Tidy(string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? null : WhiteSpace().Replace(phone.Trim(), " ");

    /// <summary>
    /// A number that can be called (<see cref="ToInternational"/>), or a service number a coordinator may print on a
    /// letter: 0800 and 0900 numbers and a municipality's 14 number (14 020).
    /// </summary>
    public static bool IsValid(string? phone) => Digits(phone) is { } digits && (Callable(digits) is not null || IsServiceNumber(digits));

    /// <summary>
    /// The one parser behind both checks: digits with spaces, dashes, dots, a slash or brackets between them and a
    /// <c>+</c> only in front, read as "+" and digits when international (00 becomes +) or as the digits alone;
    /// null when it is not written like a phone number.
    /// </summary>
    private static string? Digits(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > MaxLength)
        {
            return null;
        }

        // "+31 (0)6 …": the (0) is the trunk prefix written for callers from within the country; it is not dialled.
        var text = phone.Trim().Replace("(0)", "", StringComparison.Ordinal);
        if (!Shape().IsMatch(text))
        {
            return null;
        }

        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return text.StartsWith('+') ? "+" + digits
            : digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..]
            : digits;
    }

    private static string? Callable(string? number)
    {
        if (number is null)
        {
            return null;
        }

        if (number.StartsWith("+31", StringComparison.Ordinal))
        {
            // A Dutch number is 9 digits after the country code, never starting with the trunk 0.
            var national = number[3..];
            return national.Length == 9 && national[0] != '0' ? number : null;
        }

        if (number.StartsWith('+'))
        {
            // Abroad: E.164 allows at most 15 digits; country codes do not start with 0.
            return number.Length - 1 is >= 8 and <= 15 && number[1] != '0' ? number : null;
        }

        return number.Length == 10 && number[0] == '0' && number[1] != '0' ? "+31" + number[1..] : null;
    }

    private static bool IsServiceNumber(string digits) => digits switch
    {
        // Information numbers (0800, 0900, 0906, 0909) have 4 to 7 digits after the prefix.
        ['0', '8' or '9', '0', ..] => digits.Length is >= 8 and <= 11,

        // 14 and the area code without its 0: the number most municipalities answer on (14 020, 14 0570).
        ['1', '4', '0', ..] => digits.Length is 5 or 6,
        _ => false,
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // An optional + in front, then digits or (digits), with at most one dash, dot or slash between two of them and
    // spaces around it ("06 - 12345678"). The length is checked first, so backtracking stays small.
    [GeneratedRegex(@"^\+?\s*(?:\([0-9]+\)|[0-9])(?:\s*[\-./]?\s*(?:\([0-9]+\)|[0-9]))*$")]
    private static partial Regex Shape();
}
