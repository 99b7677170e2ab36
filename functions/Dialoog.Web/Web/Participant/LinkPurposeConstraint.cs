using Dialoog.Core.Links;

namespace Dialoog.Web.Participant;

/// <summary>
/// <c>{token:link(Reply)}</c>: the route matches only a valid, unexpired token for that purpose, so each kind of link
/// has its own page under the one address <c>/l/{token}</c>. A token no page takes falls through to
/// <see cref="LinkPages"/>, which says whether it is wrong or expired.
/// </summary>
internal sealed class LinkPurposeConstraint(string purpose) : IRouteConstraint
{
    public const string Name = "link";

    private readonly LinkPurpose _purpose = Enum.Parse<LinkPurpose>(purpose);

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (routeDirection == RouteDirection.UrlGeneration)
        {
            return true;
        }

        return httpContext is not null && values.TryGetValue(routeKey, out var value) && value is string token
            && httpContext.RequestServices.GetRequiredService<ParticipantLinks>().TryRead(token, _purpose, out _) == LinkProblem.None;
    }
}
