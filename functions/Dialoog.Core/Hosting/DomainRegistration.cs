using Dialoog.Core.Actions;
using Dialoog.Core.Calendar;
using Dialoog.Core.Configuration;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Core.Privacy;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Storage;

namespace Dialoog.Core.Hosting;

public static class DomainRegistration
{
    /// <summary>
    /// Everything the orchestrators and activities need, the same for every host: the web app (which also runs the
    /// engine locally) and the Functions app. Settings are validated at start-up.
    /// </summary>
    public static IServiceCollection AddDialoogDomain(this IServiceCollection services)
    {
        services.AddHostingOptions();
        services.AddStorageClients();
        services.AddEmail();
        services.AddCalendar();
        services.AddParticipantLinks();
        services.AddMinutes();
        services.AddPrivacy();
        services.AddIdempotencyKeys();
        services.AddProcessTemplates();
        services.AddSingleton<ParticipantDirectory>();
        services.AddSingleton<FollowUpDirectory>();
        services.AddSingleton<InitiativeIntake>();
        services.AddValidatedOptions<SignUpIntakeOptions>(SignUpIntakeOptions.Section);
        services.AddSingleton<SignUpIntake>();
        return services;
    }
}
