using Dialoog.Core.Configuration;
using Dialoog.Web;
using Dialoog.Web.Hosting;

// `--hash-password`: a local coordinator's password hash for the settings, without starting the app.
if (args is ["--hash-password"])
{
    return LocalPasswords.HashFromConsole(Console.In, Console.Out, Console.Error);
}

WebApplication app;
try
{
    app = DialoogApp.Build(args);
    DialoogApp.ValidateSettings(app);
}
catch (Exception ex) when (SettingsErrors.TryDescribe(ex, out var problems))
{
    // A bad setting is an operator mistake, not a crash: one line per problem, no stack trace.
    foreach (var problem in problems)
    {
        Console.Error.WriteLine(problem);
    }

    return 1;
}

await app.RunAsync();
return 0;
