using Dialoog.Core.Configuration;
using Dialoog.Web.Hosting;

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
