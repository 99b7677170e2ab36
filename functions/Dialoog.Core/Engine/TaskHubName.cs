namespace Dialoog.Core.Engine;

/// <summary>The task hub's name, read raw so the app's own tables exist under it before options are validated.</summary>
public static class TaskHubName
{
    public const string SettingKey = EngineOptions.SectionName + ":" + nameof(EngineOptions.TaskHub);

    /// <summary>The engine's own default, so the app's tables and the engine's always share one hub name.</summary>
    public static string Default { get; } = new EngineOptions().TaskHub;

    public static string From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[SettingKey] is { Length: > 0 } hub ? hub : Default;
    }
}
