namespace Dialoog.Core.Minutes;

public static class MinutesRegistration
{
    /// <summary>
    /// <see cref="MinutesStore"/> as a singleton. It needs the <c>BlobServiceClient</c> from
    /// <c>AddStorageClients()</c>; its container is named after the setting <c>Durable:TaskHub</c>.
    /// </summary>
    public static IServiceCollection AddMinutes(this IServiceCollection services) => services.AddSingleton<MinutesStore>();
}
