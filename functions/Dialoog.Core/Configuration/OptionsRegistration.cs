using Microsoft.Extensions.Options;

namespace Dialoog.Core.Configuration;

internal static class OptionsRegistration
{
    /// <summary>
    /// Binds one options class to its section and validates it when the app starts: data annotations for the simple
    /// rules, <typeparamref name="TValidator"/> for the rules that depend on other values.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddBoundOptions<TOptions>(section);
    }

    /// <inheritdoc cref="AddValidatedOptions{TOptions, TValidator}"/>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        services.AddSingleton(validator);
        return services.AddBoundOptions<TOptions>(section);
    }

    /// <summary>Binds one options class to its section and validates its data annotations when the app starts.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddBoundOptions<TOptions>(section);

    private static OptionsBuilder<TOptions> AddBoundOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}

/// <summary>Validates one secret of <typeparamref name="TOptions"/> with <see cref="SettingRules.StrongKey"/>.</summary>
internal sealed class StrongKeyValidator<TOptions>(string key, Func<TOptions, string> secret) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => SettingRules.StrongKey(key, secret(options));
}
