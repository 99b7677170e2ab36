using Azure.Data.Tables;
using Dialoog.Core.Actions;
using Dialoog.Core.Invitations;
using Dialoog.Core.Storage;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialoog.Core.Tests.Storage;

/// <summary>
/// The one store behind initiative and sign-up intake, on Azurite with time under the test's control: one row per
/// address, the cap, exactly one winner when two confirm at once, the 48-hour expiry, and rows written before the
/// store existed still read.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class PendingConfirmationsTests(DevStackFixture stack)
{
    private const string Process = "dlg-pending";
    private readonly string hub = "pc" + Guid.NewGuid().ToString("N")[..10];
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private sealed record Note(string ProcessId, string Id, string Email, DateTime CreatedUtc) : IPendingConfirmation;

    [Fact]
    public async Task Submit_SameAddressTwice_KeepsTheFirst_AndTheCapRefusesTheRest()
    {
        var store = Store();

        var (first, anna) = await SubmitAsync(store, "anna@example.org", max: 2);
        var (again, annaAgain) = await SubmitAsync(store, "ANNA@example.org", max: 2);
        var (second, _) = await SubmitAsync(store, "bram@example.org", max: 2);
        var (third, refused) = await SubmitAsync(store, "carla@example.org", max: 2);

        Assert.Equal((IntakeOutcome.Stored, IntakeOutcome.AlreadyPending, IntakeOutcome.Stored, IntakeOutcome.Full), (first, again, second, third));
        Assert.Equal(anna!.Id, annaAgain!.Id);
        Assert.Null(refused);
        Assert.Equal(2, await RowsAsync());

        // The caller's own limit (open initiatives) refuses as well, and stores nothing.
        var (full, _) = await store.SubmitAsync("dlg-other", "dirk@example.org", 10, (id, now) => new Note("dlg-other", id, "dirk@example.org", now), _ => Task.FromResult(true), CancellationToken.None);
        Assert.Equal(IntakeOutcome.Full, full);
        Assert.Equal(2, await RowsAsync());
    }

    [Fact]
    public async Task Take_TwoConfirmationsAtTheSameMoment_OnlyOneGetsIt()
    {
        var store = Store();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await SubmitAsync(store, $"p{i}@example.org", max: 100)).Pending!.Id);
        }

        // Two stores, as two web app instances would have, each taking every row at once.
        var other = Store();
        var takes = ids.SelectMany(id => new[] { store.TakeAsync(Process, id, CancellationToken.None), other.TakeAsync(Process, id, CancellationToken.None) }).ToList();
        var taken = await Task.WhenAll(takes);

        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Single(new[] { taken[2 * i], taken[(2 * i) + 1] }, t => t is not null);
        }

        Assert.Equal(0, await RowsAsync());
        Assert.Null(await store.TakeAsync(Process, ids[0], CancellationToken.None));
    }

    [Fact]
    public async Task After48Hours_TheItemIsGoneForTheLink_AndThePurgeDeletesOnlyExpiredRows()
    {
        var store = Store();
        var old = (await SubmitAsync(store, "oud@example.org", max: 10)).Pending!;
        time.Advance(TimeSpan.FromHours(47));
        var fresh = (await SubmitAsync(store, "nieuw@example.org", max: 10)).Pending!;
        Assert.NotNull(await store.FindAsync(Process, old.Id, CancellationToken.None));

        time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await store.FindAsync(Process, old.Id, CancellationToken.None));
        Assert.NotNull(await store.FindAsync(Process, fresh.Id, CancellationToken.None));

        // The expired one no longer counts: the same address may submit again.
        Assert.Equal(IntakeOutcome.Stored, (await SubmitAsync(store, "oud@example.org", max: 10)).Outcome);

        Assert.Equal(1, await store.DeleteExpiredAsync(CancellationToken.None));
        Assert.Equal(2, await RowsAsync());
        Assert.False((await Table().GetEntityIfExistsAsync<TableEntity>(Process, old.Id)).HasValue);

        time.Advance(TimeSpan.FromHours(49));
        Assert.Equal(2, await store.DeleteExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task RowsWrittenBeforeTheStore_AreStillRead_AndNewRowsKeepTheirShape()
    {
        var created = time.GetUtcNow().UtcDateTime;
        var initiatives = Table("PendingInitiatives");
        var signUps = Table("PendingSignUps");
        await Task.WhenAll(initiatives.CreateIfNotExistsAsync(), signUps.CreateIfNotExistsAsync());
        await initiatives.AddEntityAsync(new TableEntity(Process, "0a1b2c3d4e5f6a7b")
        {
            ["Json"] = """{"processId":"dlg-pending","id":"0a1b2c3d4e5f6a7b","title":"Moestuin","description":"Samen groente kweken.","name":"Iris","email":"iris@example.org","createdUtc":"2026-12-01T09:00:00Z"}""",
            ["CreatedUtc"] = created,
        });
        await signUps.AddEntityAsync(new TableEntity(Process, "1b2c3d4e5f6a7b8c")
        {
            ["Json"] = """{"processId":"dlg-pending","id":"1b2c3d4e5f6a7b8c","participant":{"name":"Sara","email":"sara@example.org","group":"inwoners","language":"nl","phone":null,"address":null},"answers":[{"questionId":"nodig","choices":["vervoer"],"text":null}],"createdUtc":"2026-12-01T09:00:00Z"}""",
            ["CreatedUtc"] = created,
        });

        var configuration = Configuration();
        var tables = new TableServiceClient(stack.StorageConnectionString);
        var initiativeIntake = new InitiativeIntake(tables, configuration, new FollowUpDirectory(tables, configuration), time);
        var signUpIntake = new SignUpIntake(tables, configuration, time, Options.Create(new SignUpIntakeOptions()));

        Assert.Equal("Moestuin", (await initiativeIntake.FindAsync(Process, "0a1b2c3d4e5f6a7b", CancellationToken.None))?.Title);
        var sara = await signUpIntake.TakeAsync(Process, "1b2c3d4e5f6a7b8c", CancellationToken.None);
        Assert.Equal(("sara@example.org", "vervoer"), (sara?.Participant.Email, sara?.Answers.Single().Choices.Single()));

        // Sara signs up again: one row as before, with the address inside the participant and not beside it.
        var (outcome, again) = await signUpIntake.SubmitAsync(Process, sara!.Participant, sara.Answers, CancellationToken.None);
        Assert.Equal(SignUpIntakeOutcome.Stored, outcome);
        var json = (await signUps.GetEntityAsync<TableEntity>(Process, again!.Id)).Value.GetString("Json");
        Assert.Equal(new[] { "processId", "id", "participant", "answers", "createdUtc" }, System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject().Select(p => p.Key));
    }

    private PendingConfirmations<Note> Store() => new(new TableServiceClient(stack.StorageConnectionString), Configuration(), "Notes", time);

    private IConfiguration Configuration() =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = hub }).Build();

    private Task<(IntakeOutcome Outcome, Note? Pending)> SubmitAsync(PendingConfirmations<Note> store, string email, int max) =>
        store.SubmitAsync(Process, email, max, (id, now) => new Note(Process, id, email, now), null, CancellationToken.None);

    private TableClient Table(string suffix = "Notes") => new TableServiceClient(stack.StorageConnectionString).GetTableClient(hub + suffix);

    private async Task<int> RowsAsync()
    {
        var count = 0;
        await foreach (var _ in Table().QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
