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
        if (!HasKey(context.HttpContext, options.Value))
        {
            return TypedResults.Problem(
                title: "Niet aangemeld",
                detail: $"Deze functie is alleen voor coördinatoren. Stuur de API-sleutel mee in de kop '{HeaderName}'.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    /// <summary>True when the request carries the coordinator API key (compared in constant time).</summary>
    public static bool HasKey(HttpContext context, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var presented = context.Request.Headers[HeaderName].ToString();
        return presented.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(options.CoordinatorApiKey));
    }
}

/// <summary>
/// What is for operators only (the API description, readiness details): the API key, or a signed-in admin
/// coordinator. Anyone else gets a 401 problem, so nothing about the app's inside is public.
/// </summary>
internal sealed class OperatorFilter(IOptions<ApiOptions> api, IOptions<AuthOptions> auth) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!IsOperator(context.HttpContext, api.Value, auth.Value))
        {
            return TypedResults.Problem(
                title: "Niet aangemeld",
                detail: $"Dit is alleen voor beheerders. Stuur de API-sleutel mee in de kop '{CoordinatorApiKeyFilter.HeaderName}', of meld u aan als beheerder.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    public static bool IsOperator(HttpContext context, ApiOptions api, AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CoordinatorApiKeyFilter.HasKey(context, api) || context.User.IsAdmin(auth);
    }
}
