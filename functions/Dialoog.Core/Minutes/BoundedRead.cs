namespace Dialoog.Core.Minutes;

/// <summary>Reads a stream into memory, but never more than a limit: an oversized upload is noticed, not buffered.</summary>
internal static class BoundedRead
{
    /// <summary>
    /// The whole of <paramref name="source"/>, or null as soon as it turns out to be longer than
    /// <paramref name="limit"/>. The buffer grows as data arrives and never beyond <paramref name="limit"/> + 1 bytes.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream source, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var cap = limit + 1;
        var buffer = new byte[Math.Min(cap, 64 * 1024)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length == cap)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(cap, buffer.Length * 2L));
            }

            var read = await source.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        if (total > limit)
        {
            return null;
        }

        return new ReadOnlyMemory<byte>(buffer, 0, total);
    }
}
