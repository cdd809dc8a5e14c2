using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.EndToEnd;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>Where the app listens: the address given by the usual means, else one default (no launch profile in between).</summary>
public sealed class ListenAddressTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("urls", "http://0.0.0.0:8080", false)]
    [InlineData("http_ports", "8080", false)]
    [InlineData("https_ports", "8443", false)]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:8080", false)]
    public void The_default_address_applies_only_when_no_address_is_configured(string? key, string? value, bool defaults)
    {
        var settings = new Dictionary<string, string?>();
        if (key is not null)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Equal(defaults, AppServices.ListensWhereNotSaid(configuration));
    }

    [Fact]
    public void No_launch_profile_sets_an_address_that_would_hide_ASPNETCORE_URLS_from_dotnet_run()
    {
        var path = Path.Combine(Artifacts.RepositoryRoot, "NodiRef.Admin", "Properties", "launchSettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(path));

        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            Assert.False(profile.Value.TryGetProperty("applicationUrl", out _), $"The launch profile \"{profile.Name}\" sets applicationUrl.");
            if (profile.Value.TryGetProperty("environmentVariables", out var variables))
            {
                Assert.False(variables.TryGetProperty("ASPNETCORE_URLS", out _), $"The launch profile \"{profile.Name}\" sets ASPNETCORE_URLS.");
            }
        }
    }

    [Fact]
    public async Task The_built_app_listens_where_ASPNETCORE_URLS_says()
    {
        var folder = Directory.CreateTempSubdirectory("nodiref-urls-").FullName;
        try
        {
            // The host says where it listens once Kestrel is bound; then the address in ASPNETCORE_URLS must answer.
            await using var app = await AppProcess.StartAsync(folder, waitForDatabase: false);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(app.Url, "health/live"), Ct)).StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
