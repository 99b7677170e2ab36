using Dialoog.Functions;
using Microsoft.Azure.Functions.Worker.Builder;

// The Functions app: the Functions host runs the orchestrators, activities and timers of this project on the Durable
// extension (Azure Storage provider, settings in host.json); this worker gives them the domain's services.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddFunctionsApp();
await builder.Build().RunAsync();
