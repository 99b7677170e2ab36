using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Api;

/// <summary>
/// Coordinator endpoints need the API key from <c>Api__CoordinatorApiKey</c> in the <c>X-Api-Key</c> header (local
/// development and tools; the web issue adds Entra ID sign-in for people).
/// </summary>
internal sealed class CoordinatorApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        var expected = options.Value.CoordinatorApiKey;
        if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            return TypedResults.Problem(
                title: "Niet aangemeld",
                detail: $"Deze functie is alleen voor coördinatoren. Stuur de API-sleutel mee in de kop '{HeaderName}'.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }
}
