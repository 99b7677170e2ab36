namespace Dialoog.Core.Minutes;

/// <summary>One stored version of the minutes of one session. Versions are never overwritten.</summary>
/// <param name="BlobName">Name in the minutes container, e.g. <c>{processId}/{sessionId}/v2</c> (no extension, so racing uploads of different types collide on the number).</param>
/// <param name="FileName">The uploader's file name, cleaned (no path, no control characters).</param>
/// <param name="ContentType">Detected from the bytes, e.g. <c>application/pdf</c>.</param>
/// <param name="Sha256">Hex SHA-256 of the content.</param>
public sealed record MinutesVersion(
    string ProcessId,
    string SessionId,
    int Version,
    string BlobName,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    string UploadedBy,
    DateTime UploadedUtc);

/// <summary>An agreement made in the session, entered with the minutes.</summary>
/// <param name="DueDate">A calendar day (Europe/Amsterdam), not in the past.</param>
public sealed record AgreedAction(string Title, string OwnerName, string OwnerEmail, DateOnly DueDate);
