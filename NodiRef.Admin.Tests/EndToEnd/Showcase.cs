using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// A small, realistic data set for the page checks and screenshots: projects (one archived),
/// partners (one inactive, one in two projects with a custom link), an active and a revoked token.
/// </summary>
public sealed record Showcase(PartnerRow Ada, string AdaCustomCode)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<BrowserSuite, Showcase> Created = [];

    /// <summary>The showcase of this suite's app, created on first use.</summary>
    public static async Task<Showcase> OfAsync(BrowserSuite suite)
    {
        await Gate.WaitAsync();
        try
        {
            if (!Created.TryGetValue(suite, out var showcase))
            {
                showcase = await CreateAsync(suite);
                Created[suite] = showcase;
            }

            return showcase;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<Showcase> CreateAsync(BrowserSuite suite)
    {
        var id = Unique.Id();
        var shop = await suite.GivenProjectAsync($"Acme Shop {id}");
        var blog = await suite.GivenProjectAsync($"Acme Blog {id}");
        var old = await suite.GivenProjectAsync($"Winter Campaign {id}");
        var ada = (await suite.GivenPartnerAsync($"Ada Lovelace {id}", $"user_{id}", shop.Id)).Partner;
        await suite.GivenPartnerAsync($"Alan Turing {id}", $"alan.turing.{id}@example.com", shop.Id, PartnerStatus.Inactive);
        await suite.GivenPartnerAsync($"Grace Hopper {id}", Guid.NewGuid().ToString());
        var code = $"ADA-SPRING-{id}";
        return await suite.App.AsAdminAsync(async services =>
        {
            var projects = services.GetRequiredService<ProjectService>();
            var archived = await projects.SetStatusAsync(old.Id, ProjectStatus.Archived, old.Version);
            var link = await services.GetRequiredService<ReferralLinkService>().CreateAsync(
                new CreateLinkInput(ada.Id, code, blog.Id, "https://blog.example.com/spring?ref=ada", "{\"campaign\": \"spring\"}"));
            var tokens = services.GetRequiredService<ApiTokenService>();
            var kept = await tokens.CreateAsync($"billing backend {id}", Roles.Operator);
            var revoked = await tokens.CreateAsync($"old importer {id}", Roles.Viewer);
            var revoke = revoked.Succeeded ? await tokens.RevokeAsync(revoked.Value!.Token.Id) : null;
            if (!archived.Succeeded || !link.Succeeded || !kept.Succeeded || revoke is not { Succeeded: true })
            {
                throw new InvalidOperationException("Arranging the showcase data failed.");
            }

            return new Showcase(ada, code);
        });
    }
}
