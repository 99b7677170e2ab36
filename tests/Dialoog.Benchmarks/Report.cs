using System.Globalization;

namespace Dialoog.Benchmarks;

/// <summary>A run's figures, printed as a table and written as JSON.</summary>
public sealed record Report(Dictionary<string, object> Values)
{
    /// <summary>The first figures of every report: when, and on what machine.</summary>
    public static Dictionary<string, object> Describe() => new()
    {
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {Environment.OSVersion}",
    };

    public void Print(Action<string>? log = null)
    {
        log ??= Console.WriteLine;
        log("");
        log($"{"figure",-50} {"value",12}");
        foreach (var (key, value) in Values)
        {
            log($"{key,-50} {Convert.ToString(value, CultureInfo.InvariantCulture),12}");
        }
    }
}
