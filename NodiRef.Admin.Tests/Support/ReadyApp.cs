using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Tests.Support;

public static class ReadyApp
{
    /// <summary>
    /// Starts the app (a derived factory with other settings, say) and waits until it has prepared its
    /// database: before that the start-up gate answers 503 to everything but /health/live.
    /// </summary>
    public static async Task<T> ReadyAsync<T>(this T factory)
        where T : WebApplicationFactory<Program>
    {
        factory.StartServer();
        await factory.DatabaseReadyAsync();
        return factory;
    }

    /// <summary>Waits until a started app has prepared its database (it listens before that).</summary>
    public static Task DatabaseReadyAsync(this WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<DatabaseReadiness>().WhenReady.WaitAsync(TimeSpan.FromMinutes(2), Xunit.TestContext.Current.CancellationToken);
}
