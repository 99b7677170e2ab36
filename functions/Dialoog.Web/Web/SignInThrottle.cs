using System.Collections.Concurrent;
using System.Net;

namespace Dialoog.Web;

/// <summary>
/// Counts failed local sign-ins per account and per client address in a sliding window. Past the limit, sign-in is
/// refused before the password is checked (a right guess then does not get in either), so guessing passwords takes
/// days instead of minutes. Only failures count: coordinators who sign in correctly are never slowed down.
/// </summary>
/// <remarks>
/// Kept in memory: per instance of the web app, reset by a restart. That is enough for local sign-in, which is for
/// development and small test set-ups; production signs in with Entra ID and its own protection.
/// </remarks>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int FailuresPerAccount = 5;
    public const int FailuresPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    // A flood from many addresses must not grow this without end: past this size, expired entries are dropped first.
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.Ordinal);

    /// <summary>When sign-in is possible again for this account or address; null when it is possible now.</summary>
    public DateTimeOffset? BlockedUntil(string? account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var until = new[]
        {
            Blocked(AccountKey(account), FailuresPerAccount, now),
            Blocked(AddressKey(address), FailuresPerAddress, now),
        }.Max();
        return until;
    }

    public void Failed(string? account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        if (failures.Count >= MaxTracked)
        {
            Prune(now);
        }

        foreach (var key in new[] { AccountKey(account), AddressKey(address) })
        {
            failures.AddOrUpdate(key, _ => new Failures([now]), (_, old) => old.Add(now, Window));
        }
    }

    /// <summary>A correct sign-in clears the account's count (not the address's: one address may try many accounts).</summary>
    public void Succeeded(string? account) => failures.TryRemove(AccountKey(account), out _);

    private DateTimeOffset? Blocked(string key, int limit, DateTimeOffset now)
    {
        if (!failures.TryGetValue(key, out var entry))
        {
            return null;
        }

        var recent = entry.Times.Where(t => now - t < Window).ToList();
        return recent.Count >= limit ? recent[^limit] + Window : null;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in failures)
        {
            if (entry.Times.All(t => now - t >= Window))
            {
                failures.TryRemove(key, out _);
            }
        }

        // Still full after dropping what expired: this is a flood, and forgetting beats running out of memory.
        if (failures.Count >= MaxTracked)
        {
            failures.Clear();
        }
    }

    private static string AccountKey(string? account) => "account:" + (account ?? "").Trim().ToLowerInvariant();

    private static string AddressKey(IPAddress? address) => "address:" + (address?.IsIPv4MappedToIPv6 == true ? address.MapToIPv4() : address);

    private sealed record Failures(IReadOnlyList<DateTimeOffset> Times)
    {
        // Only the last few matter for the limit; keep the list short.
        public Failures Add(DateTimeOffset now, TimeSpan window) =>
            new(Times.Where(t => now - t < window).TakeLast(FailuresPerAddress).Append(now).ToList());
    }
}
