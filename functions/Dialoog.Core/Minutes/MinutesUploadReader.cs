using Microsoft.AspNetCore.Http;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes.Definition;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static Dialoog.Core.Processes.Definition.DefinitionRules;
using static Dialoog.Core.Processes.Definition.DutchText;

namespace Dialoog.Core.Minutes;

/// <summary>An upload that passed every check: the file (already in memory, at most <see cref="MinutesContent.MaxBytes"/>) and the agreed actions.</summary>
/// <param name="FileName">Cleaned by <see cref="FileNames.Clean"/>.</param>
/// <param name="Type">Detected from the content; the name's extension agrees with it.</param>
/// <param name="UploadedBy">The optional <c>uploadedBy</c> field, trimmed; null when left out.</param>
public sealed record MinutesUpload(string FileName, ReadOnlyMemory<byte> Content, MinutesFileType Type, IReadOnlyList<AgreedAction> Actions, string? UploadedBy);

/// <summary>The upload, or field errors (Dutch) keyed <c>file</c>, <c>actions[1].ownerEmail</c>, <c>uploadedBy</c>, or <c>""</c> for the request as a whole.</summary>
public sealed record MinutesUploadResult(MinutesUpload? Upload, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The value of <see cref="MinutesUploadForm.TokenField"/>, when the form had it; null otherwise.</summary>
    public string? FormToken { get; init; }
}

/// <summary>How a form differs from the API's: the facilitator's link page sends the same fields from a browser.</summary>
public sealed record MinutesUploadForm
{
    /// <summary>The API's form: <c>actions</c> as JSON.</summary>
    public static MinutesUploadForm Api { get; } = new();

    /// <summary><c>actions</c> is the web form's text box, one action per line (see <see cref="MinutesUploadReader.ActionLinesToJson"/>).</summary>
    public bool ActionsAsLines { get; init; }

    /// <summary>
    /// One more text field to keep (the antiforgery token a browser form carries), returned as
    /// <see cref="MinutesUploadResult.FormToken"/>; its check is the caller's, after the body has been read once.
    /// </summary>
    public string? TokenField { get; init; }
}

/// <summary>
/// Reads the minutes upload form (<c>multipart/form-data</c>): one file in the field <c>file</c>, optionally
/// <c>actions</c> (a JSON list of <c>{ title, ownerName, ownerEmail, dueDate: "yyyy-MM-dd" }</c>) and
/// <c>uploadedBy</c>. Everything is checked before anything is stored, and all problems come back at once.
/// The file is held in memory, never more than <see cref="MinutesContent.MaxBytes"/> + 1 bytes: it has to be read
/// whole to check its type anyway, and the form's fields may come after it.
/// </summary>
public static class MinutesUploadReader
{
    /// <summary>The largest request: the largest file plus room for the other fields and the form's own headers.</summary>
    public const long MaxRequestBytes = MinutesContent.MaxBytes + (512 * 1024);

    public const int MaxActions = 20;
    public const int TitleLength = 200;
    public const int UploadedByLength = 200;
    public const int MaxYearsAhead = 5;

    private const int MaxActionsJsonBytes = 64 * 1024;
    private const int MaxUploadedByBytes = 4 * 1024;
    private const int MaxTokenBytes = 4 * 1024;
    private const string UploadedByWhat = "de naam van wie het verslag stuurt";
    private const int MaxSections = 8;
    private const string FileField = "file";
    private const string ActionsField = "actions";
    private const string UploadedByField = "uploadedBy";
    private const string WrongForm = "Stuur het verslag als formulier met een bestand (Content-Type: multipart/form-data), met het bestand in het veld 'file'.";

    private static string TooLargeRequest { get; } =
        $"Het verzoek is groter dan {MaxRequestBytes / (1024 * 1024)} MB. Een verslag mag hoogstens {MinutesContent.MaxBytes / (1024 * 1024)} MB zijn. Maak het bestand kleiner en probeer het opnieuw.";

    public static Task<MinutesUploadResult> ReadAsync(HttpRequest request, DateTime nowUtc, CancellationToken cancellationToken) =>
        ReadAsync(request, nowUtc, MinutesUploadForm.Api, cancellationToken);

    public static async Task<MinutesUploadResult> ReadAsync(HttpRequest request, DateTime nowUtc, MinutesUploadForm shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(shape);
        var errors = new ValidationErrors();
        if (request.ContentLength is > MaxRequestBytes)
        {
            errors.Add(FileField, TooLargeRequest);
            return Invalid(errors);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            errors.Add("", WrongForm);
            return Invalid(errors);
        }

        // A body without Content-Length (chunked) is cut off by the server at the same size.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBytes;
        }

        Form form;
        try
        {
            form = await ReadFormAsync(boundary.ToString(), request.Body, shape.TokenField, errors, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            errors.Add(FileField, TooLargeRequest);
            return Invalid(errors);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            errors.Add("", "Het formulier kwam niet goed aan. Probeer het opnieuw.");
            return Invalid(errors);
        }

        var (fileName, content, type) = CheckFile(form, errors);
        var actionsJson = shape.ActionsAsLines && form.Actions is not null ? ActionLinesToJson(form.Actions) : form.Actions;
        var actions = actionsJson is null ? [] : ReadActions(actionsJson, nowUtc, errors);
        var uploadedBy = string.IsNullOrWhiteSpace(form.UploadedBy) ? null : form.UploadedBy.Trim();
        OptionalLine(errors, UploadedByField, uploadedBy, UploadedByLength, UploadedByWhat);

        var result = errors.IsEmpty && type is not null
            ? new MinutesUploadResult(new MinutesUpload(fileName!, content, type, actions, uploadedBy), ValidationErrors.None)
            : Invalid(errors);
        return result with { FormToken = form.Token };
    }

    /// <summary>
    /// The uploader's name as a form field gives it: trimmed, null when left empty, with the same rules as the upload
    /// form's <c>uploadedBy</c> (one line, at most <see cref="UploadedByLength"/> characters). For forms read whole.
    /// </summary>
    public static (string? Name, IReadOnlyList<string> Errors) CheckUploadedBy(string? value)
    {
        var name = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var errors = new ValidationErrors();
        OptionalLine(errors, UploadedByField, name, UploadedByLength, UploadedByWhat);
        return errors.IsEmpty ? (name, []) : (null, [.. errors.ToDictionary().SelectMany(e => e.Value)]);
    }

    /// <summary>
    /// The web form's list of actions, one per line: <c>titel; naam eigenaar; e-mail; 2027-01-31</c>, as the JSON the
    /// API takes, so both are checked by the same rules.
    /// </summary>
    public static string ActionLinesToJson(string? lines)
    {
        var array = new JsonArray();
        foreach (var line in (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(';', StringSplitOptions.TrimEntries);
            array.Add(new JsonObject
            {
                ["title"] = parts.ElementAtOrDefault(0),
                ["ownerName"] = parts.ElementAtOrDefault(1),
                ["ownerEmail"] = parts.ElementAtOrDefault(2),
                ["dueDate"] = parts.ElementAtOrDefault(3),
            });
        }

        return array.ToJsonString();
    }

    /// <summary>
    /// The agreed actions from JSON (a list of <c>{ title, ownerName, ownerEmail, dueDate }</c>): 0 to
    /// <see cref="MaxActions"/>, each with a title, an owner with a valid e-mail address, and a due date from today
    /// (Europe/Amsterdam) up to <see cref="MaxYearsAhead"/> years ahead. Values are trimmed. Errors are keyed
    /// <c>actions</c> or <c>actions[i].field</c>; the list is empty when there are errors.
    /// </summary>
    public static (IReadOnlyList<AgreedAction> Actions, IReadOnlyDictionary<string, string[]> Errors) ReadActions(string? json, DateTime nowUtc)
    {
        var errors = new ValidationErrors();
        var actions = string.IsNullOrWhiteSpace(json) ? [] : ReadActions(json, nowUtc, errors);
        return (actions, errors.ToDictionary());
    }

    private sealed record Form(string? FileName, ReadOnlyMemory<byte>? Content, int Files, string? Actions, string? UploadedBy, string? Token);

    /// <summary>The fields we know; others are skipped. Errors about the form's shape go into <paramref name="errors"/>.</summary>
    private static async Task<Form> ReadFormAsync(string boundary, Stream body, string? tokenField, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, body)
        {
            HeadersCountLimit = 16,
            HeadersLengthLimit = 16 * 1024,
            BodyLengthLimit = MaxRequestBytes,
        };

        var form = new Form(null, null, 0, null, null, null);
        var sections = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (++sections > MaxSections)
            {
                errors.Add("", $"Het formulier heeft te veel velden. Stuur alleen {FileField}, {ActionsField} en {UploadedByField}.");
                break;
            }

            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var field = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
            if (disposition.IsFileDisposition())
            {
                var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.ToString() : HeaderUtilities.RemoveQuotes(disposition.FileName).ToString();
                if (name.Length == 0 && field == FileField)
                {
                    // What a browser sends for a file input left empty.
                    continue;
                }

                if (form.Files == 1)
                {
                    errors.Add(FileField, "Stuur één bestand tegelijk. Kies alleen het bestand met het verslag.");
                }
                else if (field != FileField)
                {
                    errors.Add(FileField, $"Zet het bestand in het veld '{FileField}' (nu staat het in {Quote(field)}).");
                }

                var content = form.Files == 0 ? await BoundedRead.ReadAsync(section.Body, MinutesContent.MaxBytes, cancellationToken) : null;
                form = form.Files == 0 ? form with { FileName = name, Content = content, Files = 1 } : form with { Files = form.Files + 1 };
                if (form.Files == 1 && content is null)
                {
                    errors.Add(FileField, MinutesContent.TooLarge);
                }
            }
            else if (field == ActionsField)
            {
                form = form with
                {
                    Actions = await ReadTextFieldAsync(section.Body, field, form.Actions, MaxActionsJsonBytes, "De lijst met afspraken",
                        $"De lijst met afspraken is te lang: meer dan {MaxActionsJsonBytes / 1024} kB.", errors, cancellationToken),
                };
            }
            else if (field == UploadedByField)
            {
                // Said in characters like any other name: a name is not measured in kilobytes.
                form = form with
                {
                    UploadedBy = await ReadTextFieldAsync(section.Body, field, form.UploadedBy, MaxUploadedByBytes, Capital(UploadedByWhat),
                        $"{Capital(UploadedByWhat)} is te lang. Gebruik hoogstens {UploadedByLength} tekens.", errors, cancellationToken),
                };
            }
            else if (tokenField is not null && field == tokenField)
            {
                form = form with
                {
                    Token = await ReadTextFieldAsync(section.Body, field, form.Token, MaxTokenBytes, "Het formulier", "Het formulier klopt niet. Open de link uit uw e-mail opnieuw.", errors, cancellationToken),
                };
            }
        }

        return form;
    }

    private static async Task<string?> ReadTextFieldAsync(
        Stream body, string field, string? earlier, int maxBytes, string what, string tooLong, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (earlier is not null)
        {
            errors.Add(field, $"Het veld '{field}' staat twee keer in het formulier. Stuur het één keer.");
            return earlier;
        }

        var bytes = await BoundedRead.ReadAsync(body, maxBytes, cancellationToken);
        if (bytes is null)
        {
            errors.Add(field, tooLong);
            return null;
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.Value.Span);
        }
        catch (DecoderFallbackException)
        {
            errors.Add(field, $"{what} bevat tekens die niet te lezen zijn. Stuur de tekst als UTF-8.");
            return null;
        }
    }

    private static (string? FileName, ReadOnlyMemory<byte> Content, MinutesFileType? Type) CheckFile(Form form, ValidationErrors errors)
    {
        if (form.Files == 0)
        {
            errors.Add(FileField, "Kies het bestand met het verslag: een PDF, Word (.docx), OpenDocument (.odt) of tekstbestand.");
            return (null, default, null);
        }

        if (errors.Has(FileField) || form.Content is not { } content)
        {
            return (null, default, null);
        }

        var (name, nameError) = FileNames.Clean(form.FileName);
        if (name is null)
        {
            errors.Add(FileField, nameError!);
            return (null, default, null);
        }

        var (type, typeError) = MinutesContent.Check(name, content);
        if (type is null)
        {
            errors.Add(FileField, typeError!);
        }

        return (name, content, type);
    }

    private sealed record ActionInput(string? Title, string? OwnerName, string? OwnerEmail, string? DueDate);

    private static List<AgreedAction> ReadActions(string json, DateTime nowUtc, ValidationErrors errors)
    {
        List<ActionInput?>? inputs;
        try
        {
            inputs = JsonSerializer.Deserialize<List<ActionInput?>>(json, DefinitionJson.Options);
        }
        catch (JsonException ex)
        {
            var (key, message) = DefinitionJson.Describe(ex, typeof(List<ActionInput>));
            errors.Add(key == DefinitionJson.Root ? ActionsField : ActionsField + (key.StartsWith('[') ? key : "." + key), message);
            return [];
        }

        inputs ??= [];
        if (inputs.Count > MaxActions)
        {
            errors.Add(ActionsField, $"Er kunnen hoogstens {MaxActions} afspraken bij één verslag (nu {inputs.Count}). Zet de rest later in het traject.");
            return [];
        }

        var today = DateOnly.FromDateTime(AmsterdamTime.FromUtc(nowUtc));
        var actions = new List<AgreedAction>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var prefix = $"{ActionsField}[{i}]";
            if (inputs[i] is not { } input)
            {
                errors.Add(prefix, "Deze afspraak is leeg. Vul in wat er is afgesproken, wie het doet (naam en e-mailadres) en wanneer het klaar is, of haal hem weg.");
                continue;
            }

            var title = input.Title?.Trim();
            var ownerName = input.OwnerName?.Trim();
            var ownerEmail = input.OwnerEmail?.Trim();
            RequiredLine(errors, ValidationErrors.Key(prefix, "title"), title, TitleLength,
                "Vul in wat er is afgesproken, bijvoorbeeld 'Speeltuin aan de Kerkstraat opknappen'.", "de afspraak");
            RequiredLine(errors, ValidationErrors.Key(prefix, "ownerName"), ownerName, DefinitionLimits.NameLength,
                "Vul de naam in van de verantwoordelijke: wie zorgt dat deze afspraak wordt uitgevoerd?", "de naam");
            DefinitionRules.Email(errors, ValidationErrors.Key(prefix, "ownerEmail"), ownerEmail, "de verantwoordelijke");
            var dueDate = DueDate(errors, ValidationErrors.Key(prefix, "dueDate"), input.DueDate, today);
            if (!errors.HasUnder(prefix) && dueDate is { } due)
            {
                actions.Add(new AgreedAction(title!, ownerName!, ownerEmail!, due));
            }
        }

        return errors.IsEmpty ? actions : [];
    }

    private static DateOnly? DueDate(ValidationErrors errors, string key, string? value, DateOnly today)
    {
        var example = today.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(key, $"Vul de datum in waarop de afspraak klaar moet zijn, bijvoorbeeld {example}.");
            return null;
        }

        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(key, $"{Quote(value)} is geen bestaande datum. Schrijf de datum als jaar-maand-dag, bijvoorbeeld {example}.");
            return null;
        }

        var latest = today.AddYears(MaxYearsAhead);
        if (date < today)
        {
            errors.Add(key, $"Deze datum is al voorbij: {Day(date)}. Kies vandaag of een latere datum.");
            return null;
        }

        if (date > latest)
        {
            errors.Add(key, $"Deze datum ligt meer dan {MaxYearsAhead} jaar vooruit: {Day(date)}. Kies een datum tot en met {Day(latest)}.");
            return null;
        }

        return date;
    }

    private static string Day(DateOnly date) => date.ToString("d MMMM yyyy", Culture);

    private static MinutesUploadResult Invalid(ValidationErrors errors) => new(null, errors.ToDictionary());
}
