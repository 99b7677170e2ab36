namespace Dialoog.Functions.Engine;

/// <summary>The task hub's name, read raw so the app's own tables exist under it before options are validated.</summary>
public static class TaskHubName
{
    public const string SettingKey = "Durable:TaskHub";

    public const string Default = "dialoog";

    public static string From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[SettingKey] is { Length: > 0 } hub ? hub : Default;
    }
}
