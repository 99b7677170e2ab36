using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dialoog.Core.Minutes;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Minutes;

[Collection(DevStackCollection.Name)]
public sealed class MinutesStoreTests(DevStackFixture stack)
{
    private static readonly DateTime Now = new(2026, 3, 5, 20, 15, 0, DateTimeKind.Utc);

    private readonly string taskHub = stack.NewTaskHubName();
    private readonly string processId = "dlg-" + Guid.NewGuid().ToString("N")[..16];

    private BlobServiceClient Blobs => new(stack.StorageConnectionString);

    private BlobContainerClient Container => Blobs.GetBlobContainerClient(MinutesStore.ContainerName(taskHub));

    [Fact]
    public async Task SaveAsync_FirstUpload_StoresVersion1WithMetadataHeadersAndContent()
    {
        var pdf = MinutesSamples.Pdf();

        var (version, errors) = await Store().SaveAsync(processId, "s1", "Verslag café 5 maart.pdf", new MemoryStream(pdf), "Joke de Vries", Now, default);

        Assert.Empty(errors);
        Assert.NotNull(version);
        Assert.Equal(new MinutesVersion(processId, "s1", 1, $"{processId}/s1/v1", "Verslag café 5 maart.pdf", "application/pdf", pdf.Length,
            Convert.ToHexStringLower(SHA256.HashData(pdf)), "Joke de Vries", Now), version);

        var properties = (await Container.GetBlobClient(version.BlobName).GetPropertiesAsync()).Value;
        Assert.Equal("application/pdf", properties.ContentType);
        Assert.StartsWith("attachment;", properties.ContentDisposition, StringComparison.Ordinal);
        Assert.Contains("filename*=UTF-8''Verslag%20caf%C3%A9%205%20maart.pdf", properties.ContentDisposition, StringComparison.Ordinal);
        Assert.All(properties.Metadata.Values, value => Assert.True(value.All(char.IsAscii), value));
        Assert.Equal(pdf.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), properties.Metadata["size"]);
        Assert.Equal(version.Sha256, properties.Metadata["sha256"]);
        Assert.Equal("s1", properties.Metadata["session"]);
        Assert.Equal("Joke%20de%20Vries", properties.Metadata["uploadedby"]);
    }

    [Fact]
    public async Task SaveAsync_SecondUpload_IsVersion2AndLeavesVersion1AsItWas()
    {
        var store = Store();
        var first = MinutesSamples.Pdf("Eerste versie");
        var second = MinutesSamples.Docx();

        var v1 = (await store.SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(first), "Joke", Now, default)).Version!;
        var v2 = (await store.SaveAsync(processId, "s1", "notulen.docx", new MemoryStream(second), "Joke", Now.AddDays(1), default)).Version!;

        Assert.Equal(1, v1.Version);
        Assert.Equal(2, v2.Version);
        Assert.Equal(first, await ReadAllAsync(store, v1));
        Assert.Equal(second, await ReadAllAsync(store, v2));
        Assert.Equal(MinutesContent.Docx.ContentType, v2.ContentType);
    }

    [Fact]
    public async Task SaveAsync_OtherSession_StartsAtVersion1()
    {
        var store = Store();
        await store.SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);
        await store.SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);

        var (version, _) = await store.SaveAsync(processId, "s2", "notulen.txt", new MemoryStream(MinutesSamples.Text()), "Joke", Now, default);

        Assert.Equal(1, version!.Version);
        Assert.Equal($"{processId}/s2/v1", version.BlobName);
    }

    [Fact]
    public async Task SaveAsync_ConcurrentUploadsOfDifferentTypes_EachGetTheirOwnVersion()
    {
        var files = new (string Name, byte[] Content)[]
        {
            ("a.pdf", MinutesSamples.Pdf("a")), ("b.docx", MinutesSamples.Docx()), ("c.odt", MinutesSamples.Odt()),
            ("d.txt", MinutesSamples.Text("d")), ("e.md", MinutesSamples.Text("# e")), ("f.pdf", MinutesSamples.Pdf("f")),
        };
        // Separate store instances, as separate app instances would have.
        var results = await Task.WhenAll(files.Select(file =>
            Store().SaveAsync(processId, "s1", file.Name, new MemoryStream(file.Content), "Joke", Now, default)));

        var versions = results.Select(r => r.Version!).ToList();
        Assert.Equal(Enumerable.Range(1, files.Length), versions.Select(v => v.Version).Order());
        var store = Store();
        foreach (var (file, version) in files.Zip(versions))
        {
            Assert.Equal(file.Name, version.FileName);
            Assert.Equal(file.Content, await ReadAllAsync(store, version));
        }

        Assert.Equal(files.Length, (await store.ListAsync(processId, "s1", default)).Count);
    }

    [Fact]
    public async Task SaveAsync_NonAsciiUploaderAndName_RoundTripThroughMetadata()
    {
        var store = Store();
        var saved = (await store.SaveAsync(processId, "s1", "Verslag Çağlar & Zoë \"concept\" 100%.md", new MemoryStream(MinutesSamples.Text()),
            "Fatima Yılmaz <fatima@example.org>", Now, default)).Version!;

        var read = await store.GetAsync(processId, "s1", 1, default);

        Assert.Equal(saved, read);
        Assert.Equal("Verslag Çağlar & Zoë \"concept\" 100%.md", read!.FileName);
        Assert.Equal("Fatima Yılmaz <fatima@example.org>", read.UploadedBy);
        Assert.Equal(DateTimeKind.Utc, read.UploadedUtc.Kind);
    }

    [Fact]
    public async Task SaveAsync_NameWithoutExtension_GetsTheDetectedOne()
    {
        var (version, _) = await Store().SaveAsync(processId, "s1", "notulen", new MemoryStream(MinutesSamples.Odt()), "Joke", Now, default);

        Assert.Equal("notulen.odt", version!.FileName);
    }

    [Fact]
    public async Task SaveAsync_PathInName_StoresOnlyTheName()
    {
        var (version, _) = await Store().SaveAsync(processId, "s1", @"C:\Users\joke\notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);

        Assert.Equal("notulen.pdf", version!.FileName);
        Assert.Equal($"{processId}/s1/v1", version.BlobName);
    }

    public static TheoryData<string, byte[]> InvalidUploads() => new()
    {
        { "notulen.pdf", MinutesSamples.PlainZip() },
        { "notulen.pdf", MinutesSamples.Exe() },
        { "notulen.txt", "Verslag\0"u8.ToArray() },
        { "../notulen.pdf", MinutesSamples.Pdf() },
        { "notulen\n.pdf", MinutesSamples.Pdf() },
        { "con.pdf", MinutesSamples.Pdf() },
        { "notulen.txt", [] },
    };

    [Theory]
    [MemberData(nameof(InvalidUploads))]
    public async Task SaveAsync_InvalidFile_ReturnsFileErrorAndStoresNothing(string name, byte[] content)
    {
        var (version, errors) = await Store().SaveAsync(processId, "s1", name, new MemoryStream(content), "Joke", Now, default);

        Assert.Null(version);
        Assert.NotEmpty(Assert.Single(errors, e => e.Key == "file").Value);
        Assert.Single(errors);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task SaveAsync_EndlessStream_StopsReadingJustPastTheLimitAndStoresNothing()
    {
        var endless = new EndlessStream();

        var (version, errors) = await Store().SaveAsync(processId, "s1", "notulen.pdf", endless, "Joke", Now, default);

        Assert.Null(version);
        Assert.Equal([MinutesContent.TooLarge], errors["file"]);
        Assert.Equal(MinutesContent.MaxBytes + 1, endless.Position);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task SaveAsync_UnsafeProcessId_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store().SaveAsync("../other", "s1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store().SaveAsync(processId, "s1/v1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default));
    }

    [Fact]
    public async Task Container_IsPrivateAndNamedAfterTheTaskHub()
    {
        await Store().SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);

        var policy = (await Container.GetAccessPolicyAsync()).Value;

        Assert.Equal(taskHub + "-minutes", Container.Name);
        Assert.Equal(PublicAccessType.None, policy.BlobPublicAccess);
    }

    [Fact]
    public async Task ListAsync_ProcessOrSession_ReturnsVersionsInOrder()
    {
        var store = Store();
        var otherProcess = processId + "x";
        for (var i = 0; i < 11; i++)
        {
            await store.SaveAsync(processId, "s1", $"n{i}.txt", new MemoryStream(MinutesSamples.Text($"versie {i}")), "Joke", Now, default);
        }

        await store.SaveAsync(processId, "s2", "n.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);
        await store.SaveAsync(otherProcess, "s1", "n.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);

        var all = await store.ListAsync(processId, null, default);
        var session = await store.ListAsync(processId, "s1", default);

        Assert.Equal([.. Enumerable.Range(1, 11).Select(n => ("s1", n)), ("s2", 1)], all.Select(v => (v.SessionId, v.Version)));
        Assert.All(all, v => Assert.Equal(processId, v.ProcessId));
        Assert.Equal(Enumerable.Range(1, 11), session.Select(v => v.Version));
        Assert.Equal("n10.txt", session[10].FileName);
        Assert.Equal(12, (await store.SaveAsync(processId, "s1", "n.txt", new MemoryStream(MinutesSamples.Text()), "Joke", Now, default)).Version!.Version);
    }

    [Fact]
    public async Task ListAsync_NothingStored_IsEmpty()
    {
        Assert.Empty(await Store().ListAsync(processId, null, default));
    }

    [Fact]
    public async Task GetAsync_MissingVersion_IsNull()
    {
        var store = Store();
        await store.SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);

        Assert.Null(await store.GetAsync(processId, "s1", 2, default));
        Assert.Null(await store.GetAsync(processId, "s9", 1, default));
    }

    [Fact]
    public async Task OpenReadAsync_LargeFile_StreamsTheUploadedBytes()
    {
        var store = Store();
        var content = new byte[3 * 1024 * 1024];
        new Random(5).NextBytes(content);
        MinutesSamples.Pdf().CopyTo(content, 0);
        var version = (await store.SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(content), "Joke", Now, default)).Version!;

        var read = await ReadAllAsync(store, version);

        Assert.Equal(content.Length, version.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(read)), version.Sha256);
        Assert.Equal(content, read);
    }

    [Fact]
    public async Task OpenReadAsync_DeletedVersion_IsNull()
    {
        var store = Store();
        var version = (await store.SaveAsync(processId, "s1", "notulen.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default)).Version!;
        await store.DeleteProcessAsync(processId, default);

        Assert.Null(await store.OpenReadAsync(version, default));
    }

    [Fact]
    public async Task DeleteProcessAsync_RemovesEveryVersionOfThatProcessOnly()
    {
        var store = Store();
        var otherProcess = processId + "x";
        await store.SaveAsync(processId, "s1", "n.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);
        await store.SaveAsync(processId, "s1", "n.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);
        await store.SaveAsync(processId, "s2", "n.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);
        await store.SaveAsync(otherProcess, "s1", "n.pdf", new MemoryStream(MinutesSamples.Pdf()), "Joke", Now, default);

        var deleted = await store.DeleteProcessAsync(processId, default);

        Assert.Equal(3, deleted);
        Assert.Empty(await store.ListAsync(processId, null, default));
        Assert.Single(await store.ListAsync(otherProcess, null, default));
    }

    [Fact]
    public void AddMinutes_ResolvesOneStoreForTheConfiguredTaskHub()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = taskHub }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(Blobs)
            .AddMinutes()
            .BuildServiceProvider();

        Assert.Same(services.GetRequiredService<MinutesStore>(), services.GetRequiredService<MinutesStore>());
    }

    [Fact]
    public void ContentDisposition_NameWithQuotesAndAccents_IsAttachmentWithBothForms()
    {
        var header = MinutesStore.ContentDisposition("Verslag \"concept\" café.pdf");

        Assert.StartsWith("attachment; filename=", header, StringComparison.Ordinal);
        Assert.Contains("filename*=UTF-8''Verslag%20%22concept%22%20caf%C3%A9.pdf", header, StringComparison.Ordinal);
        Assert.True(header.All(char.IsAscii));
    }

    private MinutesStore Store()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = taskHub }).Build();
        return new MinutesStore(Blobs, configuration);
    }

    private async Task AssertNothingStoredAsync()
    {
        await Container.CreateIfNotExistsAsync();
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.All, processId + "/", default))
        {
            names.Add(blob.Name);
        }

        Assert.Empty(names);
    }

    private static async Task<byte[]> ReadAllAsync(MinutesStore store, MinutesVersion version)
    {
        await using var stream = await store.OpenReadAsync(version, default);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A stream that never ends and counts what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Looks like a PDF, so only the size can stop it.
            var chunk = Math.Min(count, 100_000);
            for (var i = 0; i < chunk; i++)
            {
                buffer[offset + i] = read + i < 5 ? (byte)"%PDF-"[(int)(read + i)] : (byte)'x';
            }

            read += chunk;
            return chunk;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
