using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Dialoog.Benchmarks.Product;

/// <summary>One message as the sink received it.</summary>
/// <param name="ReceivedTicks">A <see cref="Stopwatch"/> timestamp from this process, for latencies.</param>
public sealed record SunkMail(long ReceivedTicks, string To, string MessageId, string? ProcessId, string? Kind, string Subject, string Text);

/// <summary>
/// An SMTP server on a loopback port that keeps what it receives, for runs of tens of thousands of e-mails (MailDev
/// keeps every message in its web UI and slows down long before that). It speaks enough SMTP for MailKit: EHLO,
/// MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT. <see cref="StopAsync"/> takes the server away (connections
/// refused) for outage tests; <see cref="Start"/> brings it back on the same port.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<SunkMail> _mail = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;
    private long _brokenConnections;

    public SmtpSink()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public IReadOnlyCollection<SunkMail> Mail => _mail;

    public int Count => _mail.Count;

    public bool IsUp => _listener is not null;

    /// <summary>Connections that broke mid-conversation (mostly the ones dropped by <see cref="StopAsync"/>).</summary>
    public long BrokenConnections => Interlocked.Read(ref _brokenConnections);

    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(512);
        _stop = new CancellationTokenSource();
        _listener = listener;
        _accepting = AcceptAsync(listener, _stop.Token);
    }

    /// <summary>Stops listening and drops every open connection: senders see the server gone, not slow.</summary>
    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        _listener.Stop();
        _listener = null;
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        try
        {
            await _accepting!;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections[client] = 0;
            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(client, stop);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    Interlocked.Increment(ref _brokenConnections); // the connection broke, typically because we were stopped
                }
                finally
                {
                    _connections.TryRemove(client, out _);
                    client.Dispose();
                }
            }, CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using var stream = client.GetStream();
        var reader = new LineReader(stream);
        async Task SayAsync(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), stop);

        await SayAsync("220 dialoog-sink ESMTP");
        string? to = null;
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await SayAsync("250-dialoog-sink");
                    await SayAsync("250-8BITMIME");
                    await SayAsync("250 SMTPUTF8");
                    break;
                case "HELO":
                    await SayAsync("250 dialoog-sink");
                    break;
                case "MAIL":
                    to = null;
                    await SayAsync("250 OK");
                    break;
                case "RCPT":
                    to = Between(line, '<', '>');
                    await SayAsync("250 OK");
                    break;
                case "DATA":
                    await SayAsync("354 End data with <CR><LF>.<CR><LF>");
                    var body = await reader.ReadDataAsync(stop);
                    Keep(to ?? "", body);
                    await SayAsync("250 OK queued");
                    break;
                case "RSET":
                    to = null;
                    await SayAsync("250 OK");
                    break;
                case "NOOP":
                    await SayAsync("250 OK");
                    break;
                case "QUIT":
                    await SayAsync("221 Bye");
                    return;
                default:
                    await SayAsync("502 Command not implemented");
                    break;
            }
        }
    }

    private void Keep(string to, byte[] raw)
    {
        var received = Stopwatch.GetTimestamp();
        using var memory = new MemoryStream(raw);
        using var message = MimeMessage.Load(memory);
        _mail.Enqueue(new SunkMail(
            received,
            to,
            message.MessageId ?? "",
            message.Headers["X-Dialoog-Process"],
            message.Headers["X-Dialoog-Kind"],
            message.Subject ?? "",
            message.TextBody ?? ""));
    }

    private static string Between(string line, char open, char close)
    {
        var start = line.IndexOf(open, StringComparison.Ordinal);
        var end = line.LastIndexOf(close);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    /// <summary>Reads CRLF lines and the DATA section from the raw stream (the message may be 8-bit).</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken stop)
        {
            var line = await ReadRawLineAsync(stop);
            return line is null ? null : Encoding.UTF8.GetString(line);
        }

        /// <summary>Everything up to the lone "." line, with the sender's dot-stuffing removed.</summary>
        public async Task<byte[]> ReadDataAsync(CancellationToken stop)
        {
            using var data = new MemoryStream();
            while (await ReadRawLineAsync(stop) is { } line)
            {
                if (line.Length == 1 && line[0] == (byte)'.')
                {
                    return data.ToArray();
                }

                var skip = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
                data.Write(line, skip, line.Length - skip);
                data.Write("\r\n"u8);
            }

            throw new IOException("The connection closed inside DATA.");
        }

        private async Task<byte[]?> ReadRawLineAsync(CancellationToken stop)
        {
            using var line = new MemoryStream();
            while (true)
            {
                for (var i = _start; i < _end; i++)
                {
                    if (_buffer[i] == (byte)'\n')
                    {
                        var length = i - _start;
                        line.Write(_buffer, _start, length > 0 && _buffer[i - 1] == (byte)'\r' ? length - 1 : length);
                        _start = i + 1;
                        return TrimCr(line.ToArray());
                    }
                }

                line.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                var read = await stream.ReadAsync(_buffer, stop);
                if (read == 0)
                {
                    return null;
                }

                _end = read;
            }
        }

        // A CR at the end of one buffer and the LF at the start of the next leaves the CR in the line.
        private static byte[] TrimCr(byte[] line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }
}
