using System.Collections.Concurrent;
using Dialoog.Core.Email;

namespace Dialoog.Core.Tests.Processes.Support;

/// <summary>
/// Keeps e-mails in memory for fast orchestration tests (MailDev covers the real delivery in the end-to-end tests).
/// Honours the idempotency key the way the real sender does, and counts repeats so a test can see them.
/// </summary>
internal sealed class RecordingEmailSender : IEmailSender
{
    private readonly ConcurrentDictionary<string, EmailMessage> _byKey = new();
    private readonly ConcurrentQueue<EmailMessage> _sent = new();
    private int _repeats;

    /// <summary>Addresses whose delivery fails, as a bouncing relay would.</summary>
    public ConcurrentDictionary<string, bool> Failing { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<EmailMessage> Sent => _sent.ToList();

    public int Repeats => _repeats;

    public Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Failing.ContainsKey(message.To.Address))
        {
            throw new InvalidOperationException($"550 mailbox unavailable: {message.To.Address}");
        }

        if (!_byKey.TryAdd(message.IdempotencyKey, message))
        {
            Interlocked.Increment(ref _repeats);
            return Task.FromResult(false);
        }

        _sent.Enqueue(message);
        return Task.FromResult(true);
    }

    public IReadOnlyList<EmailMessage> To(string address) =>
        Sent.Where(m => string.Equals(m.To.Address, address, StringComparison.OrdinalIgnoreCase)).ToList();

    public IReadOnlyList<EmailMessage> OfKind(MailKind kind) =>
        Sent.Where(m => m.Tags["kind"] == kind.ToString()).ToList();

    public IReadOnlyList<EmailMessage> OfKind(MailKind kind, string address) =>
        OfKind(kind).Where(m => string.Equals(m.To.Address, address, StringComparison.OrdinalIgnoreCase)).ToList();
}
