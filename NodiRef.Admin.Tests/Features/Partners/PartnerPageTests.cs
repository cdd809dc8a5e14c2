using Bunit;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Partners;

public sealed class PartnerPageTests : ComponentTest
{
    [Fact]
    public async Task Activity_totals_leave_out_discarded_events_and_show_rewards_per_currency_and_state()
    {
        var (project, partner, link) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        await GivenRuleSetAsync("Ten percent", project.Id);
        await GivenRuleSetAsync("Two dollars", project.Id, RewardType.Fixed, 2m, "USD");
        await GivenConversionAsync(link, 200m, "EUR");
        await GivenConversionAsync(link, 50m, "EUR", selfReferral: true);
        var paid = await GivenConversionAsync(link, 100m, "EUR");
        await AsAdminAsync(async () =>
        {
            foreach (var reward in Ok(await App.Rewards.ListAsync(new NodiRef.Admin.Features.Rewards.RewardQuery(PartnerId: partner.Id), Ct)).Items.Where(r => r.ConversionId == paid.PublicId))
            {
                Ok(await App.Rewards.ApproveAsync(reward.Id, null, null, Ct));
                if (reward.Currency == "EUR")
                {
                    Ok(await App.Rewards.PayAsync(reward.Id, null, null, Ct));
                }
            }

            return Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, null, Ct));
        });
        await GivenConversionAsync(link, 999m, "EUR");
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<PartnerPage>(p => p.Add(x => x.Id, partner.Id));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=partner-referrals]").TextContent.Trim()));
        Assert.Equal("2", cut.Find("[data-testid=partner-conversions]").TextContent.Trim());
        Assert.Equal("1", cut.Find("[data-testid=partner-in-review]").TextContent.Trim());
        var eur = cut.Find("[data-testid=partner-rewards-EUR]");
        Assert.Equal(("20.00 EUR", "0.00 EUR", "10.00 EUR"),
            (eur.QuerySelector("[data-testid=pending]")!.TextContent.Trim(), eur.QuerySelector("[data-testid=due]")!.TextContent.Trim(), eur.QuerySelector("[data-testid=paid]")!.TextContent.Trim()));
        var usd = cut.Find("[data-testid=partner-rewards-USD]");
        Assert.Equal(("2.00 USD", "2.00 USD", "0.00 USD"),
            (usd.QuerySelector("[data-testid=pending]")!.TextContent.Trim(), usd.QuerySelector("[data-testid=due]")!.TextContent.Trim(), usd.QuerySelector("[data-testid=paid]")!.TextContent.Trim()));
    }
}
