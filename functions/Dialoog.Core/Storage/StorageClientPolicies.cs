using Azure.Core;
using Azure.Core.Pipeline;

namespace Dialoog.Core.Storage;

/// <summary>
/// Pipeline policies added to every storage client of the app, the engine's included: how a benchmark counts every
/// storage transaction (the unit Azure Storage bills) or a test injects throttling. Empty in production.
/// </summary>
public sealed class StorageClientPolicies(params HttpPipelinePolicy[] policies)
{
    public IReadOnlyList<HttpPipelinePolicy> Policies { get; } = policies;

    public T Apply<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var policy in Policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        return options;
    }
}
