using Azure.Data.Tables;
using Dialoog.Core.Engine;

namespace Dialoog.Core.Storage;

/// <summary>
/// One of the app's own tables, named after the task hub (<c>&lt;hub&gt;Participants</c>, …) so apps sharing an account
/// stay apart, and created on first use (once per process, not per call).
/// </summary>
internal sealed class AppTable(TableServiceClient tables, IConfiguration configuration, string suffix)
{
    private volatile bool _created;

    public TableClient Client { get; } = tables.GetTableClient((configuration["Durable:TaskHub"] ?? "dialoog") + suffix);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await Client.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
    }

    /// <summary>The row's <c>Json</c> column read as <typeparamref name="T"/>, or null when there is no such row.</summary>
    public async Task<T?> FindJsonAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class
    {
        await EnsureAsync(cancellationToken);
        var row = await Client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return row.HasValue ? DurableJson.Deserialize<T>(row.Value!.GetString("Json")) : null;
    }
}
