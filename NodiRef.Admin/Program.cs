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

// Listen first: /health/live answers at once, everything else 503 until the database is prepared
// (migrations can take a while, or wait for another instance's).
app.UseNodiRef();
await app.StartAsync();
var prepared = await app.PrepareDatabaseWhileListeningAsync();
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return prepared ? 0 : 1;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
