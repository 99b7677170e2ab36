using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Dialoog.Core.Tests.Email.Support;

/// <summary>One command the stand-in read, and whether the connection was encrypted when it came.</summary>
internal sealed record SmtpCommand(string Verb, bool Tls);

/// <summary>One e-mail the stand-in accepted.</summary>
internal sealed record SmtpReceived(string? UserName, bool Tls, string From, IReadOnlyList<string> To, string Data);

/// <summary>
/// A small SMTP server on a free loopback port with a self-signed certificate made at start, for what MailDev cannot
/// do: offer STARTTLS. <see cref="SmtpTls.StartTls"/> offers it (as relays on port 587 do), <see cref="SmtpTls.OnConnect"/>
/// speaks TLS from the first byte (port 465), <see cref="SmtpTls.Never"/> offers no TLS at all but does offer AUTH,
/// the bait a client that falls back to plain text would take. Like real relays it offers AUTH PLAIN and LOGIN and,
/// when given credentials, refuses MAIL FROM until they are given. Records every command with the encryption state
/// at that moment, and every e-mail accepted.
/// </summary>
internal sealed class SmtpStandIn : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly X509Certificate2 certificate;
    private readonly SmtpTls tls;
    private readonly (string UserName, string Password)? credentials;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<SmtpCommand> commands = new();
    private readonly ConcurrentQueue<SmtpReceived> received = new();
    private readonly Task accepting;

    private SmtpStandIn(SmtpTls tls, (string, string)? credentials)
    {
        this.tls = tls;
        this.credentials = credentials;
        certificate = SelfSignedLocalhost();
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>SHA-256 of the server's certificate, for a test's certificate check.</summary>
    public string CertificateHash => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public IReadOnlyList<SmtpCommand> Commands => commands.ToList();

    public IReadOnlyList<SmtpReceived> Received => received.ToList();

    /// <summary>A certificate check that accepts exactly this server's certificate, as a trusted one would be.</summary>
    public RemoteCertificateValidationCallback TrustThisCertificate =>
        (_, presented, _, _) => presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == CertificateHash;

    /// <param name="credentials">When set, AUTH must succeed with these before MAIL FROM.</param>
    public static SmtpStandIn Start(SmtpTls tls, (string UserName, string Password)? credentials = null) => new(tls, credentials);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var secure = false;
        try
        {
            if (tls == SmtpTls.OnConnect)
            {
                stream = await SecureAsync(stream);
                secure = true;
            }

            var reader = Reader(stream);
            string? user = null;
            string? from = null;
            var to = new List<string>();
            await WriteAsync(stream, "220 standin.example ESMTP ready");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                commands.Enqueue(new SmtpCommand(verb, secure));
                switch (verb)
                {
                    case "EHLO":
                        var offerStartTls = tls == SmtpTls.StartTls && !secure;
                        await WriteAsync(stream, "250-standin.example", offerStartTls ? "250-STARTTLS" : null, "250-AUTH PLAIN LOGIN", "250 HELP");
                        break;
                    case "STARTTLS" when tls == SmtpTls.StartTls && !secure:
                        await WriteAsync(stream, "220 2.0.0 Ready to start TLS");
                        stream = await SecureAsync(stream);
                        reader = Reader(stream);
                        secure = true;
                        user = null; // RFC 3207: the client starts over after the handshake
                        break;
                    case "AUTH":
                        user = await AuthenticateAsync(line, reader, stream);
                        break;
                    case "MAIL" when credentials is not null && user is null:
                        await WriteAsync(stream, "530 5.7.0 Authentication required");
                        break;
                    case "MAIL":
                        from = Address(line);
                        to.Clear();
                        await WriteAsync(stream, "250 2.1.0 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await WriteAsync(stream, "250 2.1.5 OK");
                        break;
                    case "DATA" when from is not null && to.Count > 0:
                        await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>");
                        received.Enqueue(new SmtpReceived(user, secure, from, to.ToList(), await DataAsync(reader)));
                        await WriteAsync(stream, "250 2.0.0 Queued");
                        from = null;
                        break;
                    case "RSET" or "NOOP":
                        await WriteAsync(stream, "250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye");
                        return;
                    default:
                        await WriteAsync(stream, "502 5.5.1 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or refused the certificate during the handshake.
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    /// <returns>The user name when the credentials match; null otherwise.</returns>
    private async Task<string?> AuthenticateAsync(string line, StreamReader reader, Stream stream)
    {
        var parts = line.Split(' ');
        var mechanism = parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
        string userName, password;
        if (mechanism == "PLAIN")
        {
            var response = parts.Length > 2 ? parts[2] : await PromptAsync(reader, stream, "");
            var fields = Decode(response).Split('\0');
            (userName, password) = fields.Length == 3 ? (fields[1], fields[2]) : ("", "");
        }
        else if (mechanism == "LOGIN")
        {
            userName = Decode(parts.Length > 2 ? parts[2] : await PromptAsync(reader, stream, "VXNlcm5hbWU6"));
            password = Decode(await PromptAsync(reader, stream, "UGFzc3dvcmQ6"));
        }
        else
        {
            await WriteAsync(stream, "504 5.5.4 Unrecognized authentication type");
            return null;
        }

        if (credentials is { } expected && (userName, password) == expected)
        {
            await WriteAsync(stream, "235 2.7.0 Authentication successful");
            return userName;
        }

        await WriteAsync(stream, "535 5.7.8 Authentication credentials invalid");
        return null;
    }

    private static async Task<string> PromptAsync(StreamReader reader, Stream stream, string challenge)
    {
        await WriteAsync(stream, "334 " + challenge);
        return await reader.ReadLineAsync() ?? "";
    }

    private async Task<string> DataAsync(StreamReader reader)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(stop.Token) is { } line && line != ".")
        {
            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        return data.ToString();
    }

    private async Task<Stream> SecureAsync(Stream plain)
    {
        var ssl = new SslStream(plain, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token);
        return ssl;
    }

    private static StreamReader Reader(Stream stream) => new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);

    private static async Task WriteAsync(Stream stream, params string?[] lines)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(lines.OfType<string>().Select(l => l + "\r\n"))));
        await stream.FlushAsync();
    }

    private static string Address(string line) => line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('>', StringComparison.Ordinal)];

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    /// <summary>A fresh self-signed certificate for localhost and 127.0.0.1, with its private key.</summary>
    public static X509Certificate2 SelfSignedLocalhost()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        certificate.Dispose();
        stop.Dispose();
    }
}

internal enum SmtpTls
{
    /// <summary>Offers STARTTLS after EHLO.</summary>
    StartTls,

    /// <summary>TLS from the first byte.</summary>
    OnConnect,

    /// <summary>No TLS offered at all.</summary>
    Never,
}
