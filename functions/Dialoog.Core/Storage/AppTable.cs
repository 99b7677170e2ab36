using Azure.Data.Tables;

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
}
