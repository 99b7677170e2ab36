namespace Dialoog.Core.Processes.Definition;

public static class ProcessTemplatesRegistration
{
    /// <summary>
    /// <see cref="ProcessTemplates"/> as a singleton, read from <paramref name="directory"/> or else from the
    /// <c>seeds/templates</c> found above the content root or the build output.
    /// </summary>
    public static IServiceCollection AddProcessTemplates(this IServiceCollection services, string? directory = null) =>
        services.AddSingleton(sp => ProcessTemplates.Load(directory, sp.GetService<IHostEnvironment>()?.ContentRootPath));
}
