using System.Diagnostics.Metrics;

namespace Dialoog.Durable.Worker;

/// <summary>Counters exported through OpenTelemetry (meter "Dialoog.Durable") and read by the benchmark.</summary>
public sealed class DurableMetrics
{
    public const string MeterName = "Dialoog.Durable";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Episodes = Meter.CreateCounter<long>("dialoog.durable.episodes", description: "Orchestration episodes committed");
    private static readonly Counter<long> Activities = Meter.CreateCounter<long>("dialoog.durable.activities", description: "Activity executions");
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("dialoog.durable.messages", description: "Queue messages processed");
    private static readonly Counter<long> Poison = Meter.CreateCounter<long>("dialoog.durable.poison", description: "Messages quarantined");

    private long _episodes;
    private long _activities;
    private long _messages;
    private long _poison;

    public long EpisodesCommitted => Interlocked.Read(ref _episodes);

    public long ActivitiesExecuted => Interlocked.Read(ref _activities);

    public long MessagesProcessed => Interlocked.Read(ref _messages);

    public long MessagesQuarantined => Interlocked.Read(ref _poison);

    internal void EpisodeCommitted()
    {
        Interlocked.Increment(ref _episodes);
        Episodes.Add(1);
    }

    internal void ActivityExecuted()
    {
        Interlocked.Increment(ref _activities);
        Activities.Add(1);
    }

    internal void MessageReceived()
    {
        Interlocked.Increment(ref _messages);
        Messages.Add(1);
    }

    internal void MessageQuarantined()
    {
        Interlocked.Increment(ref _poison);
        Poison.Add(1);
    }
}
