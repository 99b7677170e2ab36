using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Testing;

/// <summary>Personal links made by a test the way the app makes them: bound to the process's nonce.</summary>
internal static class TestLinks
{
    /// <summary>The nonce of the process that has this id now (null: none, or no such process).</summary>
    public static async Task<string?> NonceAsync(DurableTaskClient client, string processId) =>
        (await client.GetInstanceAsync(processId, getInputsAndOutputs: true))?.ReadInputAs<DialogueProcessInput>()?.Nonce;

    public static async Task<string> TokenAsync(IServiceProvider services, LinkPurpose purpose, string processId, string subject, TimeSpan? validFor = null)
    {
        var nonce = await NonceAsync(services.GetRequiredService<DurableTaskClient>(), processId);
        return services.GetRequiredService<ParticipantLinks>()
            .CreateToken(new LinkClaims(purpose, processId, subject, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromDays(1)), nonce));
    }
}
