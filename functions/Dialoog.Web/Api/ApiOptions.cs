using Dialoog.Core.Configuration;

namespace Dialoog.Web.Api;

/// <summary>Settings under <c>Api__</c>: the JSON API coordinators' tools call.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Shared secret sent as an API key by callers of the coordinator JSON API.</summary>
    public string CoordinatorApiKey { get; set; } = "";

    /// <summary>Public endpoints (initiatives): this many requests per client address per <see cref="PublicWindow"/>.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10000, ErrorMessage = "Setting 'Api__PublicPermitLimit' must be a whole number from 1 to 10000.")]
    public int PublicPermitLimit { get; set; } = 10;

    public TimeSpan PublicWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Per process: open (confirmed) initiatives at most; what one coordinator can follow.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10000, ErrorMessage = "Setting 'Api__MaxOpenInitiatives' must be a whole number from 1 to 10000.")]
    public int MaxOpenInitiatives { get; set; } = 50;

    /// <summary>Per process: unconfirmed public submissions (each one e-mail to its submitter) kept at most.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100000, ErrorMessage = "Setting 'Api__MaxUnconfirmedInitiatives' must be a whole number from 1 to 100000.")]
    public int MaxUnconfirmedInitiatives { get; set; } = 200;
}

public static class ApiRegistration
{
    public static IServiceCollection AddCoordinatorApi(this IServiceCollection services)
    {
        services.AddValidatedOptions(ApiOptions.Section, new StrongKeyValidator<ApiOptions>("Api__CoordinatorApiKey", o => o.CoordinatorApiKey));
        return services;
    }
}
