using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dialoog.Core.Minutes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Dialoog.Core.Tests.Minutes;

public sealed class MinutesUploadReaderTests
{
    // 5 March 2026, 00:30 in Amsterdam: still 4 March in UTC, so "today" must come from the Amsterdam calendar.
    private static readonly DateTime Now = new(2026, 3, 4, 23, 30, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ReadAsync_FileActionsAndUploader_ReturnsTheUpload()
    {
        var pdf = MinutesSamples.Pdf();
        using var form = Form(("notulen.pdf", pdf));
        form.Add(new StringContent(Actions(
            Action("Speeltuin Kerkstraat opknappen", "Jan de Vries", "jan@gemeente.example", "2026-03-05"),
            Action("  Buurtbudget aanvragen ", " Fatima Yılmaz ", " fatima@example.org ", "2031-03-05"),
            Action("Speeltuin Kerkstraat opknappen", "Jan de Vries", "jan@gemeente.example", "2026-03-05"))), "actions");
        form.Add(new StringContent("  Joke de Vries "), "uploadedBy");

        var (upload, errors) = await ReadAsync(form);

        Assert.Empty(errors);
        Assert.NotNull(upload);
        Assert.Equal("notulen.pdf", upload.FileName);
        Assert.Equal(pdf, upload.Content.ToArray());
        Assert.Same(MinutesContent.Pdf, upload.Type);
        Assert.Equal("Joke de Vries", upload.UploadedBy);
        Assert.Equal(
            [
                new AgreedAction("Speeltuin Kerkstraat opknappen", "Jan de Vries", "jan@gemeente.example", new DateOnly(2026, 3, 5)),
                new AgreedAction("Buurtbudget aanvragen", "Fatima Yılmaz", "fatima@example.org", new DateOnly(2031, 3, 5)),
                new AgreedAction("Speeltuin Kerkstraat opknappen", "Jan de Vries", "jan@gemeente.example", new DateOnly(2026, 3, 5)),
            ],
            upload.Actions);
    }

    [Fact]
    public async Task ReadAsync_OnlyAFile_HasNoActionsAndNoUploader()
    {
        using var form = Form(("notulen.docx", MinutesSamples.Docx()));

        var (upload, errors) = await ReadAsync(form);

        Assert.Empty(errors);
        Assert.Empty(upload!.Actions);
        Assert.Null(upload.UploadedBy);
        Assert.Same(MinutesContent.Docx, upload.Type);
    }

    [Fact]
    public async Task ReadAsync_FieldsBeforeTheFile_AreReadToo()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(Actions(Action("Verslag rondsturen", "Jan", "jan@gemeente.example", "2026-04-01"))), "actions");
        form.Add(new StringContent("Joke"), "uploadedBy");
        form.Add(File(MinutesSamples.Text()), "file", "notulen.md");

        var (upload, errors) = await ReadAsync(form);

        Assert.Empty(errors);
        Assert.Single(upload!.Actions);
        Assert.Same(MinutesContent.Markdown, upload.Type);
    }

    [Fact]
    public async Task ReadAsync_PathInFileName_KeepsOnlyTheName()
    {
        using var form = Form((@"C:\Users\joke\Documenten\notulen.odt", MinutesSamples.Odt()));

        var (upload, errors) = await ReadAsync(form);

        Assert.Empty(errors);
        Assert.Equal("notulen.odt", upload!.FileName);
    }

    [Fact]
    public async Task ReadAsync_NotMultipart_IsRefused()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("{}"u8.ToArray());

        var (upload, errors) = await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Null(upload);
        Assert.Contains("multipart/form-data", Assert.Single(errors[""]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("multipart/form-data")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/mixed; boundary=abc")]
    public async Task ReadAsync_WrongContentType_IsRefused(string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream("file=notulen.pdf"u8.ToArray());

        var (upload, errors) = await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Null(upload);
        Assert.Equal([""], errors.Keys);
    }

    [Fact]
    public async Task ReadAsync_ContentLengthOverTheLimit_IsRefusedBeforeReading()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=abc";
        context.Request.ContentLength = MinutesUploadReader.MaxRequestBytes + 1;
        context.Request.Body = new UnreadableStream();

        var (upload, errors) = await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Null(upload);
        Assert.Contains("hoogstens 20 MB", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ServerBodyLimit_IsSetToTheRequestLimit()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Pdf()));
        var context = await ContextAsync(form);
        var limit = new BodySizeFeature();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(limit);

        await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Equal(MinutesUploadReader.MaxRequestBytes, limit.MaxRequestBodySize);
    }

    [Fact]
    public async Task ReadAsync_ServerCutsOffTheBody_SaysItIsTooLarge()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=abc";
        context.Request.Body = new UnreadableStream(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));

        var (upload, errors) = await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Null(upload);
        Assert.Contains("hoogstens 20 MB", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FileOverTheLimitWithoutContentLength_IsRefused()
    {
        var big = new byte[MinutesContent.MaxBytes + 1];
        MinutesSamples.Pdf().CopyTo(big, 0);
        using var form = Form(("notulen.pdf", big));
        var context = await ContextAsync(form);
        context.Request.ContentLength = null;

        var (upload, errors) = await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Null(upload);
        Assert.Equal([MinutesContent.TooLarge], errors["file"]);
    }

    [Fact]
    public async Task ReadAsync_TwoFiles_IsRefused()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Pdf()), ("bijlage.pdf", MinutesSamples.Pdf()));

        var (upload, errors) = await ReadAsync(form);

        Assert.Null(upload);
        Assert.Contains("één bestand tegelijk", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoFile_IsRefused()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("Joke"), "uploadedBy");

        var (upload, errors) = await ReadAsync(form);

        Assert.Null(upload);
        Assert.StartsWith("Kies het bestand met het verslag", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyFileInputFromABrowser_CountsAsNoFile()
    {
        using var form = new MultipartFormDataContent();
        var empty = File([]);
        empty.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"\"" };
        form.Add(empty);

        var (_, errors) = await ReadAsync(form);

        Assert.StartsWith("Kies het bestand met het verslag", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FileInAnotherField_IsRefused()
    {
        using var form = new MultipartFormDataContent();
        form.Add(File(MinutesSamples.Pdf()), "bestand", "notulen.pdf");

        var (_, errors) = await ReadAsync(form);

        Assert.Contains("in het veld 'file'", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "notulen.pdf", MinutesSamples.PlainZip(), "maar het is geen PDF" },
        { "notulen.pdf", MinutesSamples.Exe(), "Het is een programma" },
        { "notulen.txt", "Verslag\0"u8.ToArray(), "niet in een tekstbestand horen" },
        { "../../notulen.pdf", MinutesSamples.Pdf(), "twee punten" },
        { "notulen\u0007.pdf", MinutesSamples.Pdf(), "onzichtbaar teken" },
        { "NUL.txt", MinutesSamples.Text(), "kan niet als bestandsnaam" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ReadAsync_BadFile_ReportsItUnderFile(string name, byte[] content, string expected)
    {
        using var form = new MultipartFormDataContent();
        var file = File(content);
        // Set the header by hand: HttpClient would refuse control characters in the name before we ever saw them.
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename=\"{name}\"");
        form.Add(file);

        var (upload, errors) = await ReadAsync(form);

        Assert.Null(upload);
        Assert.Contains(expected, Assert.Single(errors["file"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BadFileAndBadActions_ReportsBothAtOnce()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Exe()));
        form.Add(new StringContent(Actions(Action("", "Jan", "jan@gemeente.example", "2026-04-01"))), "actions");

        var (_, errors) = await ReadAsync(form);

        Assert.Equal(["actions[0].title", "file"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ActionsTwice_IsRefused()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Pdf()));
        form.Add(new StringContent("[]"), "actions");
        form.Add(new StringContent("[]"), "actions");

        var (_, errors) = await ReadAsync(form);

        Assert.Contains("twee keer", Assert.Single(errors["actions"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HugeActionsField_IsRefused()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Pdf()));
        form.Add(new StringContent("[" + new string(' ', 70 * 1024) + "]"), "actions");

        var (_, errors) = await ReadAsync(form);

        Assert.Contains("te lang", Assert.Single(errors["actions"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UploaderWithNewline_IsRefused()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Pdf()));
        form.Add(new StringContent("Joke\nde Vries"), "uploadedBy");

        var (_, errors) = await ReadAsync(form);

        Assert.Equal(["uploadedBy"], errors.Keys);
    }

    [Fact]
    public async Task ReadAsync_TruncatedBody_SaysTheFormDidNotArrive()
    {
        using var form = Form(("notulen.pdf", MinutesSamples.Pdf()));
        var context = await ContextAsync(form);
        var body = ((MemoryStream)context.Request.Body).ToArray();
        context.Request.Body = new MemoryStream(body[..(body.Length - 20)]);
        context.Request.ContentLength = body.Length - 20;

        var (upload, errors) = await MinutesUploadReader.ReadAsync(context.Request, Now, default);

        Assert.Null(upload);
        Assert.Contains("niet goed aan", Assert.Single(errors[""]), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadActions_Valid_TrimsAndKeepsDuplicates()
    {
        var (actions, errors) = MinutesUploadReader.ReadActions(Actions(
            Action(" Bankje plaatsen ", "Jan", "jan@gemeente.example", "2026-03-05"),
            Action(" Bankje plaatsen ", "Jan", "jan@gemeente.example", "2026-03-05")), Now);

        Assert.Empty(errors);
        Assert.Equal(2, actions.Count);
        Assert.Equal(actions[0], actions[1]);
        Assert.Equal("Bankje plaatsen", actions[0].Title);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("[]")]
    [InlineData("null")]
    public void ReadActions_NoneGiven_IsAnEmptyList(string? json)
    {
        var (actions, errors) = MinutesUploadReader.ReadActions(json, Now);

        Assert.Empty(errors);
        Assert.Empty(actions);
    }

    [Fact]
    public void ReadActions_TwentyActions_AreAllowed()
    {
        var json = Actions([.. Enumerable.Range(0, 20).Select(i => Action($"Afspraak {i}", "Jan", "jan@gemeente.example", "2026-06-01"))]);

        var (actions, errors) = MinutesUploadReader.ReadActions(json, Now);

        Assert.Empty(errors);
        Assert.Equal(20, actions.Count);
    }

    [Fact]
    public void ReadActions_TwentyOneActions_AreTooMany()
    {
        var json = Actions([.. Enumerable.Range(0, 21).Select(i => Action($"Afspraak {i}", "Jan", "jan@gemeente.example", "2026-06-01"))]);

        var (actions, errors) = MinutesUploadReader.ReadActions(json, Now);

        Assert.Empty(actions);
        Assert.Contains("hoogstens 20 afspraken", Assert.Single(errors["actions"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadActions_EveryFieldWrong_ReportsEachUnderItsKey()
    {
        var json = Actions(
            Action("Bankje plaatsen", "Jan", "jan@gemeente.example", "2026-06-01"),
            Action(new string('x', 201), "", "jan at gemeente", "2026-02-30"),
            Action(" ", new string('n', 101), null, "2026-03-04"),
            Action("Tab\tin titel", "Naam\nmet regel", "Jan <jan@gemeente.example>", "2031-03-06"),
            Action("Geen datum", "Jan", "jan@gemeente.example", null),
            Action("Verkeerde vorm", "Jan", "jan@gemeente.example", "5-3-2026"));

        var (actions, errors) = MinutesUploadReader.ReadActions(json, Now);

        Assert.Empty(actions);
        Assert.Equal(
            [
                "actions[1].dueDate", "actions[1].ownerEmail", "actions[1].ownerName", "actions[1].title",
                "actions[2].dueDate", "actions[2].ownerEmail", "actions[2].ownerName", "actions[2].title",
                "actions[3].dueDate", "actions[3].ownerEmail", "actions[3].ownerName", "actions[3].title",
                "actions[4].dueDate",
                "actions[5].dueDate",
            ],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("te lang: 201 tekens", errors["actions[1].title"][0], StringComparison.Ordinal);
        Assert.StartsWith("Vul de naam in van de verantwoordelijke", errors["actions[1].ownerName"][0], StringComparison.Ordinal);
        Assert.Contains("geen geldig e-mailadres", errors["actions[1].ownerEmail"][0], StringComparison.Ordinal);
        Assert.StartsWith("'2026-02-30' is geen bestaande datum", errors["actions[1].dueDate"][0], StringComparison.Ordinal);
        Assert.Equal("Vul het e-mailadres van de verantwoordelijke in.", errors["actions[2].ownerEmail"][0]);
        Assert.Equal("Deze datum is al voorbij: 4 maart 2026. Kies vandaag of een latere datum.", errors["actions[2].dueDate"][0]);
        Assert.Contains("onzichtbaar teken", errors["actions[3].title"][0], StringComparison.Ordinal);
        Assert.Equal("Deze datum ligt meer dan 5 jaar vooruit: 6 maart 2031. Kies een datum tot en met 5 maart 2031.", errors["actions[3].dueDate"][0]);
        Assert.StartsWith("Vul de datum in waarop de afspraak klaar moet zijn", errors["actions[4].dueDate"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void ReadActions_NullEntry_IsReportedAtItsIndex()
    {
        var (_, errors) = MinutesUploadReader.ReadActions("[null]", Now);

        Assert.StartsWith("Deze afspraak is leeg", Assert.Single(errors["actions[0]"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"title\": \"x\"}", "actions", "lijst")]
    [InlineData("[{\"title\": 5}]", "actions[0].title", "tekst")]
    [InlineData("[{\"owner\": \"Jan\"}]", "actions[0].owner", "Onbekend veld 'owner'")]
    [InlineData("[{\"title\": \"x\",", "actions", "")]
    public void ReadActions_BadJson_IsReportedWhereItWentWrong(string json, string key, string expected)
    {
        var (actions, errors) = MinutesUploadReader.ReadActions(json, Now);

        Assert.Empty(actions);
        var (actualKey, messages) = Assert.Single(errors);
        Assert.StartsWith(key, actualKey, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Single(messages), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Action(string? title, string? ownerName, string? ownerEmail, string? dueDate) => new()
    {
        ["title"] = title,
        ["ownerName"] = ownerName,
        ["ownerEmail"] = ownerEmail,
        ["dueDate"] = dueDate,
    };

    private static string Actions(params Dictionary<string, string?>[] actions) => JsonSerializer.Serialize(actions);

    private static ByteArrayContent File(byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return file;
    }

    private static MultipartFormDataContent Form(params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            form.Add(File(content), "file", name);
        }

        return form;
    }

    private static async Task<DefaultHttpContext> ContextAsync(MultipartFormDataContent form)
    {
        var body = await form.ReadAsByteArrayAsync();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = form.Headers.ContentType!.ToString();
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        return context;
    }

    private static async Task<MinutesUploadResult> ReadAsync(MultipartFormDataContent form) =>
        await MinutesUploadReader.ReadAsync((await ContextAsync(form)).Request, Now, default);

    private sealed class BodySizeFeature : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; } = 30_000_000;
    }

    /// <summary>A body that fails when read: proves a check happened before reading, or stands in for a server limit.</summary>
    private sealed class UnreadableStream(Exception? failure = null) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw failure ?? new InvalidOperationException("The body was read.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw failure ?? new InvalidOperationException("The body was read.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw failure ?? new InvalidOperationException("The body was read.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
