using System.Text;
using System.Text.RegularExpressions;
using static Dialoog.Core.Processes.Definition.DefinitionLimits;

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
    public static string? ToInternational(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > MaxLength)
        {
            return null;
        }

        // "+31 (0)6 …": the 0 in brackets is left out when dialling from abroad.
        var text = phone.Trim().Replace("(0)", "", StringComparison.Ordinal);
        var digits = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c) || (c == '+' && i == 0))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '/'))
            {
                return null;
            }
        }

        var number = digits.ToString();
        if (number.StartsWith("00", StringComparison.Ordinal))
        {
            number = "+" + number[2..];
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

    /// <summary>A <c>tel:</c> link for the number, or null when it cannot be called.</summary>
    public static string? TelLink(string? phone) => ToInternational(phone) is { } number ? "tel:" + number : null;

    /// <summary>
    /// Trimmed, with every run of white space (tabs, non-breaking spaces from a copied e-mail signature) as one
    /// space; null when nothing is left.
    /// </summary>
    public static string? Tidy(string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? null : WhiteSpace().Replace(phone.Trim(), " ");

    /// <summary>
    /// Digits with spaces, dashes, dots, a slash or brackets between them, and a <c>+</c> only in front. Accepted:
    /// a Dutch number of 10 digits (06-12345678, 020 123 4567), the same with +31 or 0031 and optionally (0)
    /// (+31 6 12345678, +31 (0)20 123 4567), 0800 and 0900 numbers, a municipality's 14 number (14 020) and a foreign
    /// number after + or 00.
    /// </summary>
    public static bool IsValid(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > PhoneLength)
        {
            return false;
        }

        // "+31 (0)6 …": the (0) is the trunk prefix written for callers from within the country; it is not dialled.
        var text = phone.Trim().Replace("(0)", "", StringComparison.Ordinal);
        if (!Shape().IsMatch(text))
        {
            return false;
        }

        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (text.StartsWith('+'))
        {
            return digits.StartsWith("31", StringComparison.Ordinal) ? digits.Length == 11 : digits[0] != '0' && digits.Length is >= 8 and <= 15;
        }

        if (digits.StartsWith("0031", StringComparison.Ordinal))
        {
            return digits.Length == 13;
        }

        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return digits.Length is >= 10 and <= 17;
        }

        if (digits is ['0', '8' or '9', '0', ..])
        {
            // Information numbers (0800, 0900, 0906, 0909) have 4 to 7 digits after the prefix.
            return digits.Length is >= 8 and <= 11;
        }

        if (digits.StartsWith('0'))
        {
            return digits.Length == 10;
        }

        // 14 and the area code without its 0: the number most municipalities answer on (14 020, 14 0570).
        return digits.StartsWith("140", StringComparison.Ordinal) && digits.Length is 5 or 6;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // An optional + in front, then digits or (digits), with at most one dash, dot or slash between two of them and
    // spaces around it ("06 - 12345678"). The length is checked first, so backtracking stays small.
    [GeneratedRegex(@"^\+?\s*(?:\([0-9]+\)|[0-9])(?:\s*[\-./]?\s*(?:\([0-9]+\)|[0-9]))*$")]
    private static partial Regex Shape();
}
