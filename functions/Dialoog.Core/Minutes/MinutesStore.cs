using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dialoog.Core.Processes.Definition;
using ContentDispositionHeaderValue = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue;

namespace Dialoog.Core.Minutes;

/// <summary>The stored version, or why nothing was stored (key <c>file</c>, Dutch messages).</summary>
public sealed record MinutesSaveResult(MinutesVersion? Version, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>
/// Minutes in the private container <c>&lt;taskhub&gt;-minutes</c>, one blob per version:
/// <c>{processId}/{sessionId}/v{n}</c>. A version is never overwritten: every upload becomes the next version, written
/// with <c>If-None-Match: *</c>. The blob name holds no extension so that two uploads racing for the same number collide
/// whatever their types; the type is in the blob's content type and metadata.
/// </summary>
public sealed partial class MinutesStore(BlobServiceClient blobs, IConfiguration configuration)
{
    /// <summary>Uploads racing for a number retry with the next; this many lost races in a row is not a race.</summary>
    private const int MaxVersionAttempts = 50;

    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(ContainerName(configuration["Durable:TaskHub"] ?? "dialoog"));
    private volatile bool _created;

    /// <summary>Container names are lower case; task hub names allow capitals.</summary>
    public static string ContainerName(string taskHub) => taskHub.ToLowerInvariant() + "-minutes";

    /// <summary>
    /// Reads <paramref name="content"/> (at most <see cref="MinutesContent.MaxBytes"/> + 1 bytes), checks the name and
    /// the type, and stores it as the session's next version. Returns errors under <c>file</c> and stores nothing when
    /// the file cannot be accepted.
    /// </summary>
    public async Task<MinutesSaveResult> SaveAsync(
        string processId, string sessionId, string fileName, Stream content, string uploadedBy, DateTime nowUtc, CancellationToken cancellationToken)
    {
        CheckIds(processId, sessionId);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(uploadedBy);
        var (name, nameError) = FileNames.Clean(fileName);
        if (name is null)
        {
            return Invalid(nameError!);
        }

        var bytes = await BoundedRead.ReadAsync(content, MinutesContent.MaxBytes, cancellationToken);
        return bytes is null ? Invalid(MinutesContent.TooLarge) : await SaveAsync(processId, sessionId, name, bytes.Value, uploadedBy, nowUtc, cancellationToken);
    }

    /// <summary>As the stream overload, for content already in memory (the upload reader buffers it).</summary>
    public async Task<MinutesSaveResult> SaveAsync(
        string processId, string sessionId, string fileName, ReadOnlyMemory<byte> content, string uploadedBy, DateTime nowUtc, CancellationToken cancellationToken)
    {
        CheckIds(processId, sessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(uploadedBy);
        var (name, nameError) = FileNames.Clean(fileName);
        if (name is null)
        {
            return Invalid(nameError!);
        }

        var (type, typeError) = MinutesContent.Check(name, content);
        if (type is null)
        {
            return Invalid(typeError!);
        }

        if (FileNames.Extension(name).Length == 0)
        {
            name += type.Extension;
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var uploadedUtc = DateTime.SpecifyKind(nowUtc.Kind == DateTimeKind.Local ? nowUtc.ToUniversalTime() : nowUtc, DateTimeKind.Utc);
        await EnsureContainerAsync(cancellationToken);

        var number = await LatestVersionAsync(processId, sessionId, cancellationToken) + 1;
        for (var attempt = 0; attempt < MaxVersionAttempts; attempt++, number++)
        {
            var version = new MinutesVersion(
                processId, sessionId, number, BlobName(processId, sessionId, number), name, type.ContentType, content.Length, sha256, uploadedBy.Trim(), uploadedUtc);
            var options = new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = type.ContentType, ContentDisposition = ContentDisposition(name) },
                Metadata = ToMetadata(version),
            };
            try
            {
                await _container.GetBlobClient(version.BlobName).UploadAsync(new BinaryData(content), options, cancellationToken);
                return new MinutesSaveResult(version, ValidationErrors.None);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another upload took this number first; ours becomes the next one.
            }
        }

        throw new InvalidOperationException($"No free version number for the minutes of {processId}/{sessionId} after {MaxVersionAttempts} attempts.");
    }

    /// <summary>All versions of a process, or of one session, by session and then version.</summary>
    public async Task<IReadOnlyList<MinutesVersion>> ListAsync(string processId, string? sessionId, CancellationToken cancellationToken)
    {
        CheckId(processId, nameof(processId));
        if (sessionId is not null)
        {
            CheckId(sessionId, nameof(sessionId));
        }

        await EnsureContainerAsync(cancellationToken);
        var prefix = sessionId is null ? processId + "/" : $"{processId}/{sessionId}/";
        var result = new List<MinutesVersion>();
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
        {
            if (FromMetadata(item.Name, item.Metadata, item.Properties.ContentLength ?? 0) is { } version)
            {
                result.Add(version);
            }
        }

        return result.OrderBy(v => v.SessionId, StringComparer.Ordinal).ThenBy(v => v.Version).ToList();
    }

    /// <summary>One version, or null when there is no such version.</summary>
    public async Task<MinutesVersion?> GetAsync(string processId, string sessionId, int version, CancellationToken cancellationToken)
    {
        CheckIds(processId, sessionId);
        await EnsureContainerAsync(cancellationToken);
        var name = BlobName(processId, sessionId, version);
        try
        {
            var properties = await _container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken);
            return FromMetadata(name, properties.Value.Metadata, properties.Value.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The content of <paramref name="version"/> as a stream to copy to the response (the caller disposes it), or null
    /// when it is gone. Pair it with <see cref="ContentDisposition"/> and the version's content type.
    /// </summary>
    public async Task<Stream?> OpenReadAsync(MinutesVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        CheckIds(version.ProcessId, version.SessionId);
        await EnsureContainerAsync(cancellationToken);
        try
        {
            var download = await _container.GetBlobClient(BlobName(version.ProcessId, version.SessionId, version.Version))
                .DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes every version of every session of the process (for retention). Returns how many blobs went.</summary>
    public async Task<int> DeleteProcessAsync(string processId, CancellationToken cancellationToken)
    {
        CheckId(processId, nameof(processId));
        await EnsureContainerAsync(cancellationToken);
        var deleted = 0;
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, processId + "/", cancellationToken))
        {
            if (await _container.DeleteBlobIfExistsAsync(item.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// <c>attachment; filename="..."; filename*=UTF-8''...</c>: an ASCII name for old clients and the real name for the
    /// rest, so a name with é or quotes is neither garbled nor able to break the header.
    /// </summary>
    public static string ContentDisposition(string fileName)
    {
        var header = new ContentDispositionHeaderValue("attachment");
        header.SetHttpFileName(fileName);
        return header.ToString();
    }

    public static string BlobName(string processId, string sessionId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{processId}/{sessionId}/v{version}");

    private async Task<int> LatestVersionAsync(string processId, string sessionId, CancellationToken cancellationToken)
    {
        var latest = 0;
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{processId}/{sessionId}/", cancellationToken))
        {
            if (VersionOf(item.Name) is { } number && number > latest)
            {
                latest = number;
            }
        }

        return latest;
    }

    private static int? VersionOf(string blobName) =>
        VersionName().Match(blobName) is { Success: true } match && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    // Metadata values must be ASCII; free text (names) is percent-encoded UTF-8. Keys are lower case because the
    // service keeps case but Azurite and HTTP headers need not.
    private static Dictionary<string, string> ToMetadata(MinutesVersion version) => new()
    {
        ["process"] = Uri.EscapeDataString(version.ProcessId),
        ["session"] = Uri.EscapeDataString(version.SessionId),
        ["version"] = version.Version.ToString(CultureInfo.InvariantCulture),
        ["filename"] = Uri.EscapeDataString(version.FileName),
        ["contenttype"] = version.ContentType,
        ["size"] = version.Size.ToString(CultureInfo.InvariantCulture),
        ["sha256"] = version.Sha256,
        ["uploadedby"] = Uri.EscapeDataString(version.UploadedBy),
        ["uploadedutc"] = version.UploadedUtc.ToString("O", CultureInfo.InvariantCulture),
    };

    private static MinutesVersion? FromMetadata(string blobName, IDictionary<string, string> metadata, long contentLength)
    {
        var values = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        string? Text(string key) => values.TryGetValue(key, out var value) ? Uri.UnescapeDataString(value) : null;

        if (VersionOf(blobName) is not { } number
            || Text("process") is not { } processId
            || Text("session") is not { } sessionId
            || Text("filename") is not { } fileName
            || Text("contenttype") is not { } contentType
            || Text("sha256") is not { } sha256
            || Text("uploadedby") is not { } uploadedBy
            || !DateTime.TryParse(Text("uploadedutc"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var uploadedUtc))
        {
            return null;
        }

        return new MinutesVersion(processId, sessionId, number, blobName, fileName, contentType, contentLength, sha256, uploadedBy, uploadedUtc);
    }

    private static MinutesSaveResult Invalid(string message) =>
        new(null, new Dictionary<string, string[]> { ["file"] = [message] });

    private static void CheckIds(string processId, string sessionId)
    {
        CheckId(processId, nameof(processId));
        CheckId(sessionId, nameof(sessionId));
    }

    /// <summary>Ids become blob path segments: they come from the app, so a bad one is a bug, not bad input.</summary>
    private static void CheckId(string id, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, name);
        if (id.Length > 100 || !SafeId().IsMatch(id))
        {
            throw new ArgumentException($"'{id}' is not a valid id for a minutes blob path.", name);
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            // Private: no anonymous read of the container or its blobs. Downloads go through the app.
            await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
            _created = true;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$")]
    private static partial Regex SafeId();

    [GeneratedRegex(@"/v([0-9]{1,9})$")]
    private static partial Regex VersionName();
}
