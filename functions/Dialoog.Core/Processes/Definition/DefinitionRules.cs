using System.Globalization;
using System.Text.RegularExpressions;
using static Dialoog.Core.Processes.Definition.DefinitionLimits;
using static Dialoog.Core.Processes.Definition.DutchText;
using static Dialoog.Core.Processes.Definition.ValidationErrors;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// The rules for one field or one part of a definition, shared by the whole-definition validator and the smaller ones
/// (added participants, a reschedule). Each rule adds its Dutch messages under the key it is given and tolerates
/// nulls where JSON may have left them.
/// </summary>
internal static partial class DefinitionRules
{
    /// <summary>
    /// A plain address <c>local@domain.tld</c>: what <see cref="System.Net.Mail.MailAddress"/> accepts, without a display
    /// name, quotes, brackets or spaces, and with a domain of at least two labels.
    /// </summary>
    public static bool IsValidEmail(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > EmailLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format || c is '"' or '<' or '>' or '(' or ')' or ',' or ';' or '[' or ']' or '\\'))
        {
            return false;
        }

        if (!System.Net.Mail.MailAddress.TryCreate(email, out var address) || address.Address != email || address.DisplayName.Length > 0)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        return at is > 0 and <= 64 && Domain().IsMatch(email[(at + 1)..]);
    }

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;

    public static bool IsSessionId(string? id) => id is not null && id.Length <= SessionIdLength && SessionId().IsMatch(id);

    /// <summary>A one-line text that is required: <paramref name="missing"/> says what to fill in.</summary>
    public static void RequiredLine(ValidationErrors errors, string key, string? value, int maxLength, string missing, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(key, missing);
            return;
        }

        OptionalLine(errors, key, value, maxLength, what);
    }

    /// <summary>A one-line text that may be left out.</summary>
    public static void OptionalLine(ValidationErrors errors, string key, string? value, int maxLength, string what)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(key, TooLong(what, value.Length, maxLength));
        }

        if (value.Any(char.IsControl))
        {
            errors.Add(key, $"{Capital(what)} bevat een onzichtbaar teken, zoals een tab of een nieuwe regel. Haal dat weg en zet alles op één regel.");
        }

        UnicodeTricks(errors, key, value, what);
    }

    /// <summary>A longer text that may have line breaks.</summary>
    public static void OptionalText(ValidationErrors errors, string key, string? value, int maxLength, string what)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(key, TooLong(what, value.Length, maxLength));
        }

        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            errors.Add(key, $"{Capital(what)} bevat een onzichtbaar teken dat hier niet kan. Typ de tekst opnieuw of plak hem als platte tekst.");
        }

        UnicodeTricks(errors, key, value, what);
    }

    /// <summary>
    /// Text that could mislead a reader of an e-mail or page: direction overrides (U+202A–U+202E, U+2066–U+2069) can
    /// make a name or link read differently from what it is, and a value of only invisible characters (zero-width
    /// spaces, joiners, combining marks) looks empty. Ordinary right-to-left script, combining accents on a letter,
    /// zero-width joiners inside emoji and emoji themselves are accepted and kept exactly as typed.
    /// </summary>
    private static void UnicodeTricks(ValidationErrors errors, string key, string value, string what)
    {
        if (value.Any(c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
        {
            errors.Add(key, $"{Capital(what)} bevat een teken dat de leesrichting omdraait. Typ de tekst opnieuw of plak hem als platte tekst.");
        }
        else if (value.Length > 0 && !value.Any(IsVisible))
        {
            errors.Add(key, $"{Capital(what)} bevat alleen onzichtbare tekens. Vul gewone letters of cijfers in.");
        }

        if (value.Any(char.IsSurrogate) && !HasOnlyPairedSurrogates(value))
        {
            errors.Add(key, $"{Capital(what)} bevat een beschadigd teken. Typ de tekst opnieuw.");
        }
    }

    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) is not (UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark);

    private static bool HasOnlyPairedSurrogates(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="role">Who this is, after "de naam van": "de regisseur", "deze deelnemer".</param>
    public static void Person(ValidationErrors errors, string prefix, Person? person, string role)
    {
        if (person is null)
        {
            errors.Add(prefix, $"Vul {role} in: naam en e-mailadres.");
            return;
        }

        RequiredLine(errors, Key(prefix, "name"), person.Name, NameLength, $"Vul de naam van {role} in.", "de naam");
        Email(errors, Key(prefix, "email"), person.Email, role);
        Phone(errors, Key(prefix, "phone"), person.Phone, role);
    }

    /// <summary>An optional phone number (see <see cref="PhoneNumbers.IsValid"/>); run after the normalizer's tidying.</summary>
    public static void Phone(ValidationErrors errors, string key, string? phone, string role)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return;
        }

        if (phone.Length > PhoneLength)
        {
            errors.Add(key, $"Het telefoonnummer van {role} is te lang: {phone.Length} tekens. Gebruik hoogstens {PhoneLength} tekens.");
        }
        else if (!PhoneNumbers.IsValid(phone))
        {
            errors.Add(key, $"{Quote(phone)} is geen geldig telefoonnummer. Schrijf het als 06-12345678, 020 123 4567 of +31 6 12345678: "
                + "alleen cijfers, spaties en streepjes. Laat het telefoonnummer weg als u het niet wilt noemen.");
        }
    }

    public static void Email(ValidationErrors errors, string key, string? email, string role)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add(key, $"Vul het e-mailadres van {role} in.");
        }
        else if (email.Length > EmailLength)
        {
            errors.Add(key, $"Het e-mailadres is te lang: {email.Length} tekens. Een e-mailadres heeft hoogstens {EmailLength} tekens.");
        }
        else if (!IsValidEmail(email))
        {
            errors.Add(key, $"{Quote(email)} is geen geldig e-mailadres. Schrijf het als naam@organisatie.nl, zonder naam, haakjes of spaties erbij.");
        }
    }

    /// <summary>
    /// Start in the future, end after start, at most <see cref="MaxSessionLength"/> long. Times are Amsterdam wall-clock
    /// (see <see cref="AmsterdamTime.ToUtc"/>); the comparison is in UTC.
    /// </summary>
    public static void SessionTimes(ValidationErrors errors, string prefix, DateTime start, DateTime end, DateTime nowUtc)
    {
        var startKey = Key(prefix, "start");
        var endKey = Key(prefix, "end");
        var startExists = ClockChange(errors, startKey, start);
        var endExists = ClockChange(errors, endKey, end);
        if (!startExists || !endExists)
        {
            return;
        }

        var startUtc = start == default ? (DateTime?)null : AmsterdamTime.ToUtc(start);
        var endUtc = end == default ? (DateTime?)null : AmsterdamTime.ToUtc(end);

        if (startUtc is null)
        {
            errors.Add(startKey, "Vul de begintijd in, bijvoorbeeld 2026-03-05T19:30 (5 maart 2026 om half acht 's avonds).");
        }
        else if (startUtc <= nowUtc)
        {
            errors.Add(startKey, $"Deze bijeenkomst begint in het verleden: {MomentOfUtc(startUtc.Value)}. Kies een begintijd die nog moet komen.");
        }

        if (endUtc is null)
        {
            errors.Add(endKey, "Vul de eindtijd in, bijvoorbeeld 2026-03-05T21:30.");
        }
        else if (startUtc is { } from && endUtc <= from)
        {
            errors.Add(endKey, $"De bijeenkomst eindigt ({MomentOfUtc(endUtc.Value)}) niet na het begin ({MomentOfUtc(from)}). Kies een eindtijd na de begintijd.");
        }
        else if (startUtc is { } begin && endUtc - begin > MaxSessionLength)
        {
            errors.Add(endKey, $"Een bijeenkomst duurt hoogstens {MaxSessionLength.TotalHours:0} uur, maar deze duurt {Duration(endUtc.Value - begin)}. Kies een eerdere eindtijd of maak er twee bijeenkomsten van.");
        }
    }

    /// <summary>
    /// A wall-clock time in the hour the clocks skip in March does not exist, and one in the hour they repeat in
    /// October exists twice: neither may silently become some other moment. (A time with an offset, from the API, is
    /// one moment and passes.) Returns false after adding the error.
    /// </summary>
    internal static bool ClockChange(ValidationErrors errors, string key, DateTime time)
    {
        if (time == default || time.Kind != DateTimeKind.Unspecified)
        {
            return true;
        }

        var night = time.ToString("d MMMM yyyy", Culture);
        if (AmsterdamTime.Zone.IsInvalidTime(time))
        {
            errors.Add(key, $"Deze tijd bestaat niet: in de nacht van {night} gaat de klok van 02:00 meteen naar 03:00. Kies een andere tijd, bijvoorbeeld 03:30.");
            return false;
        }

        if (AmsterdamTime.Zone.IsAmbiguousTime(time))
        {
            errors.Add(key, $"Deze tijd bestaat twee keer: in de nacht van {night} gaat de klok van 03:00 terug naar 02:00. Kies een tijd vóór 02:00 of na 03:00. "
                + "Via de API kan ook een tijd met tijdzone, zoals 02:30+02:00 (de eerste keer) of 02:30+01:00 (de tweede keer).");
            return false;
        }

        return true;
    }

    /// <summary>Who already has an e-mail address in the process, for the duplicate check.</summary>
    public sealed record EmailOwner(int Row, string? Name, bool AlreadyInvited);

    /// <summary>
    /// One participant: name, e-mail or else phone or postal address (e-mail and phone not in <paramref name="seen"/>
    /// yet; they are added), group among <paramref name="groups"/>, language.
    /// </summary>
    public static void Participant(
        ValidationErrors errors,
        string prefix,
        int row,
        ParticipantDefinition? participant,
        IReadOnlyList<string> groups,
        Dictionary<string, EmailOwner> seen)
    {
        if (participant is null)
        {
            errors.Add(prefix, "Deze deelnemer is leeg. Vul naam, e-mailadres (of telefoonnummer) en groep in, of haal de regel weg.");
            return;
        }

        RequiredLine(errors, Key(prefix, "name"), participant.Name, NameLength, "Vul de naam van deze deelnemer in.", "de naam");

        // E-mail, or else a phone number or postal address: the coordinator must be able to reach everyone invited.
        var emailKey = Key(prefix, "email");
        var hasPhone = !string.IsNullOrWhiteSpace(participant.Phone);
        var hasAddress = !string.IsNullOrWhiteSpace(participant.Address);
        if (string.IsNullOrWhiteSpace(participant.Email) && !hasPhone && !hasAddress)
        {
            errors.Add(emailKey,
                "Vul het e-mailadres van deze deelnemer in. Heeft deze deelnemer geen e-mail? Vul dan een telefoonnummer of een postadres in. Dan komt de deelnemer op uw bellijst.");
        }
        else if (!string.IsNullOrWhiteSpace(participant.Email))
        {
            Email(errors, emailKey, participant.Email, "deze deelnemer");
            if (!errors.Has(emailKey))
            {
                Unique(errors, emailKey, participant.Email.Trim(), row, participant.Name, seen, "Dit e-mailadres");
            }
        }

        if (hasPhone)
        {
            var phoneKey = Key(prefix, "phone");
            Phone(errors, phoneKey, participant.Phone);
            if (!errors.Has(phoneKey))
            {
                // Compared in international form: 06-12345678 and +31 6 12345678 are one phone.
                Unique(errors, phoneKey, PhoneKey(participant.Phone!), row, participant.Name, seen, "Dit telefoonnummer");
            }
        }

        if (hasAddress)
        {
            OptionalLine(errors, Key(prefix, "address"), participant.Address!.Trim(), PostalAddressLength, "het postadres");
        }

        var known = $"Deze groepen zijn er: {List(groups)}.";
        if (string.IsNullOrWhiteSpace(participant.Group))
        {
            errors.Add(Key(prefix, "group"), $"Kies de groep van deze deelnemer. {known}");
        }
        else if (!groups.Contains(participant.Group.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(Key(prefix, "group"), $"Er is geen groep {Quote(participant.Group)}. Kies een groep die in het traject staat. {known}");
        }

        if (participant.Language is not (Languages.Dutch or Languages.English or Languages.Arabic))
        {
            errors.Add(Key(prefix, "language"), $"Kies de taal van de e-mails: {Languages.Dutch} (Nederlands), {Languages.English} (Engels) of {Languages.Arabic} (Arabisch). Nu staat er {Quote(participant.Language)}.");
        }
    }

    /// <summary>
    /// Who is already reached this way, for the duplicate check. E-mail addresses are compared without regard to
    /// case, as mail servers in practice do; phone numbers are in it under <see cref="PhoneKey"/>.
    /// </summary>
    public static Dictionary<string, EmailOwner> NewEmailIndex() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A phone number's entry in the duplicate index (no e-mail address starts with "tel:").</summary>
    public static string PhoneKey(string phone) => "tel:" + (PhoneNumbers.ToInternational(phone) ?? phone.Trim());

    /// <summary>A phone number that can be called: Dutch as people write it, or international with + or 00.</summary>
    public static void Phone(ValidationErrors errors, string key, string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return;
        }

        if (phone.Length > PhoneLength)
        {
            errors.Add(key, $"Het telefoonnummer is te lang: {phone.Length} tekens. Een telefoonnummer heeft hoogstens {PhoneLength} tekens.");
        }
        else if (PhoneNumbers.ToInternational(phone) is null)
        {
            errors.Add(key, $"{Quote(phone.Trim())} is geen telefoonnummer dat u kunt bellen. Schrijf het als 06-12345678, 020 123 4567 of +31 6 12345678. "
                + "Een buitenlands nummer begint met + en het landnummer.");
        }
    }

    private static void Unique(ValidationErrors errors, string key, string value, int row, string? name, Dictionary<string, EmailOwner> seen, string what)
    {
        if (seen.TryGetValue(value, out var owner))
        {
            var other = $"deelnemer {owner.Row + 1}{(string.IsNullOrWhiteSpace(owner.Name) ? "" : $" ({owner.Name.Trim()})")}";
            errors.Add(key, owner.AlreadyInvited
                ? $"{what} is al uitgenodigd: het hoort bij {other} in dit traject. Iedereen krijgt één uitnodiging."
                : $"{what} staat ook bij {other}. Iedereen krijgt één uitnodiging: haal een van de twee weg.");
        }
        else
        {
            seen[value] = new EmailOwner(row, name, AlreadyInvited: false);
        }
    }

    public static void Range(ValidationErrors errors, string key, int value, int min, int max, string what, string? hint = null)
    {
        if (value < min || value > max)
        {
            errors.Add(key, $"{Capital(what)} moet een heel getal van {min} tot en met {max} zijn (nu: {value}).{(hint is null ? "" : " " + hint)}");
        }
    }

    /// <summary>A duration longer than zero and at most <see cref="MaxDuration"/>.</summary>
    public static void PositiveDuration(ValidationErrors errors, string key, TimeSpan value, string what)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(key, $"{Capital(what)} moet langer zijn dan nul (nu: {IsoDuration.Format(value)}). Gebruik bijvoorbeeld P3D (3 dagen) of PT30M (30 minuten).");
        }
        else if (value > MaxDuration)
        {
            errors.Add(key, $"{Capital(what)} is te lang: {Duration(value)}. Het maximum is 5 jaar ({IsoDuration.Format(MaxDuration)}).");
        }
    }

    public static string TooLong(string what, int length, int maxLength) =>
        $"{Capital(what)} is te lang: {length} tekens. Gebruik hoogstens {maxLength} tekens.";

    public static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    // Labels of letters or digits with inner hyphens; at least two; the last not only digits.
    [GeneratedRegex(@"^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?!\d+$)[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$")]
    private static partial Regex Domain();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex SessionId();
}
