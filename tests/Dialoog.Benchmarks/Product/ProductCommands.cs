using System.Globalization;
using System.Text.Json;

namespace Dialoog.Benchmarks.Product;

/// <summary>
/// The product runs, each bounded in size and time and ending with a figure table and a verdict:
/// <code>
///   product [--quick] [--json f]          a standard process end to end; submit → all invitations for 20/200/500
///   scale [--processes N] [--participants P] [--workers W] [--json f]     (default 1000 × 20, 2 workers)
///   chaos [same as scale] [--kills K] [--chaos-minutes M] [--faults kill,azurite,smtp,standins] [--mail smtp|sendgrid]
///                                         (the scale run with faults injected; --faults picks some, default all)
///   app --settings f                      one app worker process (started by scale and chaos)
/// </code>
/// Exit code 0 only when every check passed.
/// </summary>
public static class ProductCommands
{
    /// <summary><c>--faults</c> picks which faults a chaos run injects (comma-separated), e.g. to find which one hurts.</summary>
    private static ChaosOptions Chaos(string faults, int kills, TimeSpan window)
    {
        var chosen = faults.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        string[] known = ["kill", "azurite", "smtp", "standins"];
        if (chosen.Except(known).ToList() is [_, ..] unknown)
        {
            // A misspelt fault must not quietly give a run without it that then "passes".
            throw new ArgumentException($"Unknown fault(s) {string.Join(", ", unknown)}; use {string.Join(",", known)}.");
        }

        var defaults = new ChaosOptions();
        return new ChaosOptions
        {
            Kills = chosen.Contains("kill") ? kills : 0,
            RestartAzurite = chosen.Contains("azurite"),
            SmtpOutage = chosen.Contains("smtp") ? defaults.SmtpOutage : TimeSpan.Zero,
            StandInFaults = chosen.Contains("standins") ? defaults.StandInFaults : 0,
            Window = window,
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "product", "scale", "chaos", "app" };

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Minutes(string name, TimeSpan fallback) => Value(name) is { } text ? TimeSpan.FromMinutes(double.Parse(text, CultureInfo.InvariantCulture)) : fallback;

        if (args[0] == "app")
        {
            return await AppHost.RunWorkerAsync(Value("--settings") ?? throw new ArgumentException("app needs --settings <file>"));
        }

        RunReport report;
        if (args[0] == "product")
        {
            report = await new ProductBenchmark(args.Contains("--quick") ? ProductSize.Quick : ProductSize.Full).RunAsync();
        }
        else
        {
            var defaults = new ScaleOptions();
            var scale = defaults with
            {
                Processes = Number("--processes", defaults.Processes),
                Participants = Number("--participants", defaults.Participants),
                Workers = Number("--workers", defaults.Workers),
                ReminderCadence = Minutes("--cadence-minutes", defaults.ReminderCadence),
                ReplyDeadline = Minutes("--deadline-minutes", defaults.ReplyDeadline),
                Limit = Minutes("--limit-minutes", defaults.Limit),
                Mail = Value("--mail") ?? defaults.Mail,
                Chaos = args[0] == "chaos"
                    ? Chaos(Value("--faults") ?? "kill,azurite,smtp,standins", Number("--kills", 10), Minutes("--chaos-minutes", new ChaosOptions().Window))
                    : null,
            };
            report = await new ScaleRun(scale).RunAsync();
        }

        report.Print(Console.WriteLine);
        if (Value("--json") is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { report.Figures, report.Failures }, Indented));
            Console.WriteLine($"Figures written to {path}");
        }

        return report.Passed ? 0 : 1;
    }
}
