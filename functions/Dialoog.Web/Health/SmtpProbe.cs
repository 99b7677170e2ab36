using System.Net.Sockets;
using System.Text;

namespace Dialoog.Web.Health;

/// <summary>Connects to an SMTP server and reads its greeting; proves it accepts mail without sending any.</summary>
internal static class SmtpProbe
{
    public static async Task<string?> GreetAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var greeting = await reader.ReadLineAsync(cancellationToken)
            ?? throw new IOException($"SMTP server {host}:{port} closed the connection without a greeting.");
        if (!greeting.StartsWith("220", StringComparison.Ordinal))
        {
            throw new IOException($"SMTP server {host}:{port} greeted with '{greeting}' instead of 220.");
        }

        // Say goodbye so the server does not log an aborted session; its answer does not matter.
        await stream.WriteAsync("QUIT\r\n"u8.ToArray(), cancellationToken);
        return null;
    }
}
