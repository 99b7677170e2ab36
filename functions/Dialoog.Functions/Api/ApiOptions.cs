using Dialoog.Functions.Configuration;

namespace Dialoog.Functions.Api;

/// <summary>Settings under <c>Api__</c>: the JSON API coordinators' tools call.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Shared secret sent as an API key by callers of the coordinator JSON API.</summary>
    public string CoordinatorApiKey { get; set; } = "";
}

public static class ApiRegistration
{
    public static IServiceCollection AddCoordinatorApi(this IServiceCollection services)
    {
        services.AddValidatedOptions(ApiOptions.Section, new StrongKeyValidator<ApiOptions>("Api__CoordinatorApiKey", o => o.CoordinatorApiKey));
        return services;
    }
}
