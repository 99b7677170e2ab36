using System.Text;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Phone numbers as people in the Netherlands write them: 06-12345678, 020 123 4567, (020) 1234567, +31 6 12345678,
/// +31 (0)6 12345678, 0031 6 12345678, or a foreign number with + or 00. The number is kept as typed (that is how
/// the coordinator knows it); its international form is for comparing and for <c>tel:</c> links.
/// </summary>
public static class PhoneNumbers
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
}
