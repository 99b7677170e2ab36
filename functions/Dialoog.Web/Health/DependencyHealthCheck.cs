using Azure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dialoog.Web.Health;

/// <summary>
/// Readiness of one dependency: runs a cheap probe and turns every way it can fail into an unhealthy result that says
/// why, including "no answer in time" so a dead dependency makes /health/ready answer fast instead of hang.
/// </summary>
internal sealed class DependencyHealthCheck(string dependency, TimeSpan timeout, Func<CancellationToken, Task<string?>> probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var note = await probe(deadline.Token);
            return HealthCheckResult.Healthy(note);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{dependency} did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (RequestFailedException ex)
        {
            return HealthCheckResult.Unhealthy($"{dependency} answered with an error: {ex.Status} {ex.ErrorCode}.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{dependency} is not reachable: {ex.GetBaseException().Message}", ex);
        }
    }
}
