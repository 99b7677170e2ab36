namespace Dialoog.Durable.Worker;

/// <summary>
/// Inbox message ids start with a time so an instance reads its inbox in arrival order; ids made by an episode use
/// the episode's own (recorded) time, so a redelivery after a crash produces the very same id and is recognised.
/// </summary>
internal static class InboxIds
{
    private static long _sequence;

    /// <summary>The counter keeps messages raised within one clock tick by this process in order.</summary>
    public static string New(DateTimeOffset now) => $"{now.UtcTicks:D19}:{Interlocked.Increment(ref _sequence):D12}:{Guid.NewGuid():N}";

    public static string FromEpisode(DateTimeOffset episodeTime, string source) => $"{episodeTime.UtcTicks:D19}:{source}";

    /// <summary>Events carried over by ContinueAsNew come before anything newer.</summary>
    public static string Carried(string originalId) => $"{0:D19}:carry:{originalId}";
}
