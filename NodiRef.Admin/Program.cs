using NodiRef.Admin.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (CommandLine.IsCommand(args))
{
    // Commands print their result on standard output; logs go to standard error.
    builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

builder.AddNodiRef();
var app = builder.Build();

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

await app.Services.PrepareDatabaseAsync(app.Configuration);
app.UseNodiRef();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
