using System.Security.Claims;
using Dialoog.Core.Engine;
using Dialoog.Core.Hosting;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Api;

/// <summary>
/// Exports (CSV, Excel) and the participation report (Word), issue 20 items 2 and 3. The API with the key sees every
/// process, as the rest of the API does; in the web a coordinator gets only the processes they may see
/// (<see cref="CoordinatorClaims.CanSee"/>), and another coordinator's process is a 404, as its page is.
/// </summary>
public static class ExportEndpoints
{
    /// <summary>How many processes one all-processes export reads at most, like the dashboard.</summary>
    public const int MaxProcesses = 1000;

    private enum Format
    {
        Csv,
        Xlsx,
    }

    public static IServiceCollection AddExports(this IServiceCollection services) => services.AddSingleton<ProcessSnapshotReader>();

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").AddEndpointFilter<CoordinatorApiKeyFilter>().WithTags("Exports en participatieverslag");
        api.MapGet("/processes/{id}/export.csv", (string id, HttpContext http) => ProcessExportAsync(http, id, Format.Csv, anyone: true))
            .WithSummary("Eén traject als CSV (UTF-8, ';'): deelnemers met hun antwoord, afspraken en initiatieven met stand en geschiedenis.")
            .Produces<byte[]>(StatusCodes.Status200OK, CsvExport.ContentType).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/processes/{id}/export.xlsx", (string id, HttpContext http) => ProcessExportAsync(http, id, Format.Xlsx, anyone: true))
            .WithSummary("Eén traject als Excel-bestand: een blad met deelnemers en een blad met afspraken en initiatieven.")
            .Produces<byte[]>(StatusCodes.Status200OK, XlsxExport.ContentType).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/processes/{id}/report.docx", (string id, HttpContext http) => ReportAsync(http, id, anyone: true))
            .WithSummary("Het participatieverslag van een traject (Word), elke keer nieuw gemaakt: onderwerp, deelname per groep, bijeenkomsten, verslagen, afspraken en wat de gemeente ermee deed.")
            .Produces<byte[]>(StatusCodes.Status200OK, WordDocument.ContentType).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/exports/processes.csv", (HttpContext http, ProcessSnapshotReader reader) => AllExportAsync(http, reader, Format.Csv, anyone: true))
            .WithSummary("Alle trajecten in één CSV, met dezelfde kolommen als de export van één traject.")
            .Produces<byte[]>(StatusCodes.Status200OK, CsvExport.ContentType);
        api.MapGet("/exports/processes.xlsx", (HttpContext http, ProcessSnapshotReader reader) => AllExportAsync(http, reader, Format.Xlsx, anyone: true))
            .WithSummary("Alle trajecten in één Excel-bestand, met dezelfde bladen als de export van één traject.")
            .Produces<byte[]>(StatusCodes.Status200OK, XlsxExport.ContentType);

        // The same files for the signed-in coordinator (buttons on the process page and the dashboard).
        var web = routes.MapGroup("/trajecten").RequireAuthorization().ExcludeFromDescription();
        web.MapGet("/export.csv", (HttpContext http, ProcessSnapshotReader reader) => AllExportAsync(http, reader, Format.Csv, anyone: false));
        web.MapGet("/export.xlsx", (HttpContext http, ProcessSnapshotReader reader) => AllExportAsync(http, reader, Format.Xlsx, anyone: false));
        web.MapGet("/{id}/export.csv", (string id, HttpContext http) => ProcessExportAsync(http, id, Format.Csv, anyone: false));
        web.MapGet("/{id}/export.xlsx", (string id, HttpContext http) => ProcessExportAsync(http, id, Format.Xlsx, anyone: false));
        web.MapGet("/{id}/participatieverslag.docx", (string id, HttpContext http) => ReportAsync(http, id, anyone: false));
        web.MapGet("/{id}/verslagen/{sessionId}/{version:int}", MinutesAsync);
        return routes;
    }

    private static async Task<IResult> ProcessExportAsync(HttpContext http, string id, Format format, bool anyone)
    {
        if (await SnapshotAsync(http, id, anyone) is not { } process)
        {
            return NotFound(id);
        }

        return File(ExportTables.For([process]), format, Letters(process.Definition.Topic));
    }

    private static async Task<IResult> AllExportAsync(HttpContext http, ProcessSnapshotReader reader, Format format, bool anyone)
    {
        var client = http.RequestServices.GetRequiredService<DurableTaskClient>();
        var processes = new List<ProcessSnapshot>();
        string? continuation = null;
        do
        {
            var page = await client.QueryPageAsync(ProcessesApi.InstanceIdPrefix, continuation, cancellationToken: http.RequestAborted);
            foreach (var instance in page.Instances.Where(i => i.Name == nameof(DialogueProcessOrchestrator)))
            {
                if (instance.ReadInputAs<DialogueProcessInput>()?.Definition is { } definition && (anyone || CanSee(http, definition)))
                {
                    processes.Add(await reader.ReadAsync(instance.InstanceId, definition, instance.ReadCustomStatusAs<ProcessStatus>(), http.RequestAborted));
                }
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null && processes.Count < MaxProcesses);

        return File(ExportTables.For(processes.OrderBy(p => p.Id, StringComparer.Ordinal).ToList()), format, "trajecten");
    }

    private static async Task<IResult> ReportAsync(HttpContext http, string id, bool anyone)
    {
        if (await SnapshotAsync(http, id, anyone) is not { } process)
        {
            return NotFound(id);
        }

        var baseUrl = new Uri(http.RequestServices.GetRequiredService<IOptions<DialoogOptions>>().Value.PublicBaseUrl);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        return TypedResults.File(ParticipationReport.Create(process, baseUrl, now), WordDocument.ContentType, ParticipationReport.FileName(process.Definition.Topic));
    }

    /// <summary>One version of the minutes for the coordinator who may see the process (the report links here).</summary>
    private static async Task<IResult> MinutesAsync(string id, string sessionId, int version, HttpContext http, MinutesStore minutes)
    {
        var instance = await ProcessesApi.FindAsync(http.RequestServices.GetRequiredService<DurableTaskClient>(), id, http.RequestAborted);
        if (instance?.ReadInputAs<DialogueProcessInput>()?.Definition is not { } definition || !CanSee(http, definition)
            || instance.ReadCustomStatusAs<ProcessStatus>()?.Sessions.Any(s => s.Id == sessionId) != true
            || await minutes.GetAsync(id, sessionId, version, http.RequestAborted) is not { } stored
            || await minutes.OpenReadAsync(stored, http.RequestAborted) is not { } stream)
        {
            return TypedResults.Problem(title: "Verslag niet gevonden", detail: "Deze versie van het verslag is er niet (meer).", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.File(stream, stored.ContentType, stored.FileName);
    }

    private static async Task<ProcessSnapshot?> SnapshotAsync(HttpContext http, string id, bool anyone)
    {
        var instance = await ProcessesApi.FindAsync(http.RequestServices.GetRequiredService<DurableTaskClient>(), id, http.RequestAborted);
        if (instance?.ReadInputAs<DialogueProcessInput>()?.Definition is not { } definition || !(anyone || CanSee(http, definition)))
        {
            return null;
        }

        return await http.RequestServices.GetRequiredService<ProcessSnapshotReader>()
            .ReadAsync(id, definition, instance.ReadCustomStatusAs<ProcessStatus>(), http.RequestAborted);
    }

    private static bool CanSee(HttpContext http, ProcessDefinition definition) =>
        http.User.CanSee(http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value, definition.CoordinatorAccount, definition.Coordinator.Email);

    private static FileContentHttpResult File(IReadOnlyList<ExportTable> tables, Format format, string name) => format == Format.Csv
        ? TypedResults.File(CsvExport.Write(tables), CsvExport.ContentType + "; charset=utf-8", $"export-{name}.csv")
        : TypedResults.File(XlsxExport.Write(tables), XlsxExport.ContentType, $"export-{name}.xlsx");

    private static string Letters(string topic) => Core.Letters.InvitationLetter.Slug(topic) is { Length: > 0 } slug ? slug : "traject";

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "Traject niet gevonden", detail: $"Er is geen dialoogtraject met id '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
