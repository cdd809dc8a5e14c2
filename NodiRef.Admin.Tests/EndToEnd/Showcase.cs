using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Rewards;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// A small, realistic data set for the page checks and screenshots: projects (one archived),
/// partners (one inactive, one in two projects with a custom link), an active and a revoked token,
/// a rule set with two actions, and conversions in every state with the rewards they earned
/// (pending, approved, paid, partly reversed by a refund).
/// </summary>
public sealed record Showcase(PartnerRow Ada, string AdaCustomCode, int RuleSetId)
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
        var alan = (await suite.GivenPartnerAsync($"Alan Turing {id}", $"alan.turing.{id}@example.com", shop.Id, PartnerStatus.Inactive)).Partner;
        var grace = (await suite.GivenPartnerAsync($"Grace Hopper {id}", Guid.NewGuid().ToString())).Partner;
        var code = $"ADA-SPRING-{id}";
        var showcase = await suite.App.AsAdminAsync(async services =>
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

            var rules = services.GetRequiredService<RuleSetService>();
            var set = Ok(await rules.CreateAsync(new RuleSetInput($"Spring referrals {id}", "10% of every purchase in the Acme Shop, at most 50 EUR; 5 EUR per subscription.",
                DateTime.UtcNow.Date.AddDays(-30), null, RewardScope.Project, shop.Id, IsActive: true)));
            Ok(await rules.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 10, 50, "EUR")));
            Ok(await rules.CreateActionAsync(new ActionInput(set.Id, "subscription", RewardType.Fixed, 5, null, "EUR")));
            Ok(await rules.CreateAsync(new RuleSetInput($"Black Friday {id}", null,
                new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc), RewardScope.Partner, ada.Id, IsActive: false)));
            return new Showcase(ada, code, set.Id);
        });

        await CreateActivityAsync(suite, id, ada, alan, grace);
        return showcase;
    }

    /// <summary>Sign-ups and conversions through the public API, settled by the processor, then reviewed and paid as people would.</summary>
    private static async Task CreateActivityAsync(BrowserSuite suite, string id, PartnerRow ada, PartnerRow alan, PartnerRow grace)
    {
        using var api = suite.ApiClient(await suite.GivenApiTokenAsync(Roles.Tracking));
        var adaCode = (await suite.LinksAsync(ada.Id)).First(l => l.Project is not null && l.Project.Name.StartsWith("Acme Shop", StringComparison.Ordinal)).Code;
        var alanCode = (await suite.LinksAsync(alan.Id)).Single().Code;
        var graceCode = await suite.App.AsAdminAsync(async services =>
            Ok(await services.GetRequiredService<ReferralLinkService>().CreateAsync(new CreateLinkInput(grace.Id))).Code);

        var paid = await api.ConvertAsync(await api.SignUpAsync(adaCode, $"cust_{id}_1"), 120m, "EUR", "desk-lamp");
        var approved = await api.ConvertAsync(await api.SignUpAsync(adaCode, $"cust_{id}_2"), 80m, "EUR", "bookshelf");
        await api.ConvertAsync(await api.SignUpAsync(adaCode, $"cust_{id}_3"), 30m, "EUR", "pro-monthly", "subscription");
        var refunded = await api.ConvertAsync(await api.SignUpAsync(adaCode, $"cust_{id}_4"), 200m, "EUR", "armchair");
        await api.ConvertAsync(await api.SignUpAsync(alanCode, $"cust_{id}_5"), 45m, "EUR", "desk-lamp");
        await api.IdentifyAsync(grace.Id);
        var suspicious = await api.ConvertAsync(await api.SignUpAsync(graceCode, $"cust_{id}_6"), 60m, "USD", "bookshelf");
        var rejected = await api.ConvertAsync(await api.SignUpAsync(graceCode, $"cust_{id}_7"), 99m, "USD", "armchair");

        await suite.App.AsAdminAsync(async services =>
        {
            // Decide every pending conversion now (the background processor may take some first; either way all are decided after this).
            await services.GetRequiredService<ConversionProcessor>().ProcessPendingAsync();
            var conversions = services.GetRequiredService<ConversionService>();
            Ok(await conversions.RejectAsync(rejected, "Same card as the partner's own account.", null));
            Ok(await conversions.RefundAsync(refunded, 50m, "Armchair returned damaged."));
            var rewards = services.GetRequiredService<RewardService>();
            var ledger = Ok(await rewards.ListAsync(new RewardQuery(PartnerId: ada.Id) { PageSize = 50 })).Items;
            var first = ledger.Single(r => r.ConversionId == paid);
            Ok(await rewards.ApproveAsync(first.Id, null, null));
            Ok(await rewards.PayAsync(first.Id, "Paid with the November payout.", null));
            Ok(await rewards.ApproveAsync(ledger.Single(r => r.ConversionId == approved).Id, null, null));
            Assert.Equal(ConversionStatus.Suspicious, Ok(await conversions.GetAsync(suspicious)).Status);
            return true;
        });
    }

    private static T Ok<T>(Result<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"Arranging the showcase data failed: {result.Describe()}");
}
