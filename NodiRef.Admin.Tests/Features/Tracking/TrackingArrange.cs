using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>What the tracking tests set up and do again and again: a fresh link, and a hit on it.</summary>
internal static class TrackingArrange
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>A new project, an active partner in it (with its generated link) and a second link with <paramref name="targetUrl"/>.</summary>
    public static async Task<(ProjectRow Project, PartnerRow Partner, LinkRow Link)> GivenLinkAsync(this ApiFactory app, string? targetUrl = null)
    {
        await using var scope = app.AsUser(Roles.Admin);
        var services = scope.ServiceProvider;
        var project = (await services.GetRequiredService<ProjectService>().CreateAsync(new ProjectInput(ApiFactory.Unique("project"), "https://landing.example.com/" + ApiFactory.Unique()), Ct)).Value!;
        var partner = (await services.GetRequiredService<PartnerService>().CreateAsync(new CreatePartnerInput(ApiFactory.Unique("partner"), ApiFactory.Unique("ext"), PartnerStatus.Active, project.Id), Ct)).Value!.Partner;
        var link = (await services.GetRequiredService<ReferralLinkService>().CreateAsync(new CreateLinkInput(partner.Id, null, project.Id, targetUrl), Ct)).Value!;
        return (project, partner, link);
    }

    /// <summary>GET /v1/{code}/hit, which must succeed; the tracking id it answered.</summary>
    public static async Task<Guid> HitAsync(this HttpClient client, string code)
    {
        var response = await client.GetAsync($"/v1/{code}/hit", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tracking_id").GetGuid();
    }
}
