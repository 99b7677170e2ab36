using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Email.Support;

/// <summary>
/// A second MailDev that speaks SMTP only over TLS from the first byte (<c>--incoming-secure</c>, port-465 style)
/// with a self-signed certificate made here, and takes mail only after AUTH with the given user name and password.
/// Started under the dev stack's parent guard, so it dies with the test process.
/// </summary>
internal sealed class SecureMailDev : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process process;
    private readonly string folder;
    private readonly StringBuilder output = new();

    private SecureMailDev(Process process, string folder, int smtpPort, int webPort, string certificateHash)
    {
        this.process = process;
        this.folder = folder;
        SmtpPort = smtpPort;
        Api = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{webPort}/api/"));
        CertificateHash = certificateHash;
    }

    public int SmtpPort { get; }

    public Uri Api { get; }

    public string CertificateHash { get; }

    public RemoteCertificateValidationCallback TrustThisCertificate =>
        (_, presented, _, _) => presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == CertificateHash;

    public static async Task<SecureMailDev> StartAsync(DevStackFixture stack, string userName, string password)
    {
        var folder = Directory.CreateTempSubdirectory("dialoog-maildev-tls-").FullName;
        using var certificate = SmtpStandIn.SelfSignedLocalhost();
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        var (smtpPort, webPort) = FreePorts();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = stack.RepoRoot,
            UseShellExecute = false,
            RedirectStandardInput = true, // the guard watches this pipe: it closes when we die
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--require", stack.ParentGuardPath, Path.Combine(stack.RepoRoot, "node_modules", "maildev", "dist", "bin", "maildev.js"),
            "--smtp", Invariant(smtpPort), "--web", Invariant(webPort), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
            "--incoming-secure", "--incoming-cert", certificatePath, "--incoming-key", keyPath,
            "--incoming-user", userName, "--incoming-pass", password,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DIALOOG_PARENT_PID"] = Invariant(Environment.ProcessId);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start MailDev.");
        var mailDev = new SecureMailDev(process, folder, smtpPort, webPort, certificate.GetCertHashString(HashAlgorithmName.SHA256));
        process.OutputDataReceived += (_, e) => mailDev.Append(e.Data);
        process.ErrorDataReceived += (_, e) => mailDev.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await mailDev.WaitUntilReadyAsync();
        }
        catch
        {
            await mailDev.DisposeAsync();
            throw;
        }

        return mailDev;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"MailDev with TLS exited with code {process.ExitCode}. Output:{Environment.NewLine}{Output}");
            }

            try
            {
                using var health = await Http.GetAsync(new Uri(Api, "healthz"));
                using var smtp = new TcpClient();
                await smtp.ConnectAsync(IPAddress.Loopback, SmtpPort);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"MailDev with TLS did not answer within 30 s. Output:{Environment.NewLine}{Output}");
    }

    private static (int Smtp, int Web) FreePorts()
    {
        var listeners = new[] { new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0) };
        try
        {
            Array.ForEach(listeners, l => l.Start());
            return (((IPEndPoint)listeners[0].LocalEndpoint).Port, ((IPEndPoint)listeners[1].LocalEndpoint).Port);
        }
        finally
        {
            Array.ForEach(listeners, l => l.Stop());
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
