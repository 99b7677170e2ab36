using Microsoft.Extensions.Configuration;
using Dialoog.Core.Configuration;

namespace Dialoog.Core.Tests.Configuration;

public sealed class LocalSettingsConfigurationTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("dialoog-local-settings");

    [Fact]
    public void LocalSettings_DoubleUnderscoreKeys_BecomeSections()
    {
        WriteLocalSettings("""{ "IsEncrypted": false, "Values": { "Mail__Smtp__Port": 2525, "Durable__TaskHub": "hub", "Telemetry__Console": true } }""");

        var configuration = Build();

        Assert.Equal("2525", configuration["Mail:Smtp:Port"]);
        Assert.Equal("hub", configuration["Durable:TaskHub"]);
        Assert.Equal("true", configuration["Telemetry:Console"]);
    }

    [Fact]
    public void LocalSettings_HostLocalHttpPort_SetsUrls()
    {
        WriteLocalSettings("""{ "Values": {}, "Host": { "LocalHttpPort": 7072 } }""");

        Assert.Equal("http://localhost:7072", Build()["urls"]);
    }

    [Fact]
    public void LocalSettings_LaterSourceSetsSameKey_LaterSourceWins()
    {
        WriteLocalSettings("""{ "Values": { "Durable__TaskHub": "fromfile" } }""");

        var configuration = new ConfigurationBuilder()
            .Add(new LocalSettingsConfigurationSource(Path.Combine(folder.FullName, FunctionsConfigurationExtensions.LocalSettingsFileName)))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = "fromenvironment" })
            .Build();

        Assert.Equal("fromenvironment", configuration["Durable:TaskHub"]);
    }

    [Fact]
    public void LocalSettings_FileAbsent_AddsNothing()
    {
        Assert.Null(Build()["Durable:TaskHub"]);
    }

    public void Dispose() => folder.Delete(recursive: true);

    private void WriteLocalSettings(string json) =>
        File.WriteAllText(Path.Combine(folder.FullName, FunctionsConfigurationExtensions.LocalSettingsFileName), json);

    private IConfigurationRoot Build() =>
        new ConfigurationBuilder()
            .Add(new LocalSettingsConfigurationSource(Path.Combine(folder.FullName, FunctionsConfigurationExtensions.LocalSettingsFileName)))
            .Build();
}
