using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// From a reward rule set made in the back-office, through the public API's hit, referral and convert,
/// to the conversion, the ledger entry, its approval and payout, and the partner's totals.
/// </summary>
public sealed class RewardsFlowTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task An_operator_sets_up_a_10_percent_purchase_reward_and_a_purchase_earns_it_which_is_approved_paid_and_totalled()
    {
        var id = Unique.Id();
        var shop = await Suite.GivenProjectAsync("Flow Shop " + id);
        var partner = (await Suite.GivenPartnerAsync("Paula Flow " + id, "paula_" + id, shop.Id)).Partner;
        var code = (await Suite.LinksAsync(partner.Id)).Single().Code;
        var ruleSet = "Paula's launch bonus " + id;
        var page = await NewPageAsync(Roles.Operator);

        // A rule set for this partner only, so the other tests' conversions earn nothing from it.
        await OpenAsync(page, "rewards/rule-sets");
        await Button(page, "Create Rule Set").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync(ruleSet);
        await ChooseAsync(Select(dialog, "Applies to"), "One partner");
        await dialog.GetByLabel("Partner", new() { Exact = true }).FillAsync(partner.ExternalId!);
        await OpenOption(page, $"{partner.Name} ({partner.ExternalId})").ClickAsync();
        await Button(dialog, "Create").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Snackbar(page).Filter(new() { HasText = ruleSet })).ToContainTextAsync($"Rule set {ruleSet} created.");
        await page.GetByLabel("Search").FillAsync(ruleSet);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, ruleSet).GetByTestId("rule-set-scope")).ToHaveTextAsync($"Partner {partner.Name}");

        await Row(page, ruleSet).GetByRole(AriaRole.Link, new() { Name = ruleSet }).ClickAsync();
        await Expect(Heading(page, ruleSet)).ToBeVisibleAsync();
        await Button(page, "Add action").ClickAsync();
        dialog = Dialog(page);
        await ExpectSelectedAsync(Select(dialog, "Applies to"), "purchase");
        await Expect(dialog.GetByRole(AriaRole.Radio, new() { Name = "Percentage of the amount" })).ToBeCheckedAsync();
        await dialog.GetByLabel("Percentage", new() { Exact = true }).FillAsync("10");
        await dialog.GetByLabel("Currency", new() { Exact = true }).FillAsync("EUR");
        await Button(dialog, "Add action").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).First.GetByTestId("action-reward")).ToHaveTextAsync("10 % of the amount");

        // The customer's landing page and billing backend, over real HTTP.
        using var api = Suite.ApiClient(await Suite.GivenApiTokenAsync(Roles.Tracking));
        var conversionId = await api.ConvertAsync(await api.SignUpAsync(code, "buyer_" + id), 200m, "EUR", "standing-desk");

        // The Conversions page refreshes itself while the conversion is pending.
        await OpenAsync(page, "conversions");
        await FilterByPartnerAsync(page, partner);
        var conversion = Row(page, "standing-desk");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(conversion.GetByTestId("conversion-status")).ToHaveTextAsync("Accepted");
        await Expect(conversion).ToContainTextAsync("200.00 EUR");
        await Expect(conversion).ToContainTextAsync(code);
        await Expect(Button(conversion, "Refund")).ToBeVisibleAsync();

        await OpenAsync(page, "rewards");
        await FilterByPartnerAsync(page, partner);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        var reward = Rows(page).First;
        await Expect(reward.GetByTestId("reward-amount")).ToHaveTextAsync("20.00 EUR");
        await Expect(reward.GetByTestId("reward-status")).ToHaveTextAsync("Pending");
        await Expect(reward).ToContainTextAsync(ruleSet);

        await Button(reward, "Approve").ClickAsync();
        await Button(dialog, "Approve").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(reward.GetByTestId("reward-status")).ToHaveTextAsync("Approved");
        await Expect(Button(reward, "Approve")).ToHaveCountAsync(0);

        await Button(reward, "Mark paid").ClickAsync();
        await dialog.GetByLabel("Note (optional)").FillAsync("November payout");
        await Button(dialog, "Mark paid").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(reward.GetByTestId("reward-status")).ToHaveTextAsync("Paid");

        await Button(reward, "History").ClickAsync();
        var history = dialog.GetByTestId("reward-history").Locator("tbody tr");
        await Expect(history).ToHaveCountAsync(3);
        await Expect(history.Nth(0)).ToContainTextAsync("Pending");
        await Expect(history.Nth(1)).ToContainTextAsync("Pending → Approved");
        await Expect(history.Nth(2)).ToContainTextAsync("Approved → Paid");
        await Expect(history.Nth(2)).ToContainTextAsync("November payout");
        await Button(dialog, "Close").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await OpenAsync(page, $"partners/{partner.Id}");
        await Expect(page.GetByTestId("partner-clicks")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("partner-referrals")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("partner-conversions")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("partner-in-review")).ToHaveTextAsync("0");
        var eur = page.GetByTestId("partner-rewards-EUR");
        await Expect(eur.GetByTestId("pending")).ToHaveTextAsync("0.00 EUR");
        await Expect(eur.GetByTestId("due")).ToHaveTextAsync("0.00 EUR");
        await Expect(eur.GetByTestId("paid")).ToHaveTextAsync("20.00 EUR");

        var stored = await App.AsAdminAsync(async services => (await services.GetRequiredService<ConversionService>().GetAsync(conversionId)).Value!);
        Assert.Equal(ConversionStatus.Accepted, stored.Status);
    }

    [Fact]
    public async Task A_self_referral_waits_as_suspicious_and_an_operator_accepts_one_and_rejects_another_with_a_note()
    {
        var id = Unique.Id();
        var shop = await Suite.GivenProjectAsync("Review Shop " + id);
        var partner = (await Suite.GivenPartnerAsync("Sam Self " + id, "sam_" + id, shop.Id)).Partner;
        var code = (await Suite.LinksAsync(partner.Id)).Single().Code;
        using var api = Suite.ApiClient(await Suite.GivenApiTokenAsync(Roles.Tracking));

        // The partner's own browser is identified from the address the sign-ups and purchases then come from.
        await api.IdentifyAsync(partner.Id);
        var accepted = await api.ConvertAsync(await api.SignUpAsync(code, "self_a_" + id), 50m, "USD", "gadget-one");
        var rejected = await api.ConvertAsync(await api.SignUpAsync(code, "self_b_" + id), 75m, "USD", "gadget-two");

        var page = await NewPageAsync(Roles.Operator);
        await OpenAsync(page, "conversions");
        await FilterByPartnerAsync(page, partner);
        await Expect(Rows(page)).ToHaveCountAsync(2);
        var one = Row(page, "gadget-one");
        var two = Row(page, "gadget-two");
        foreach (var row in new[] { one, two })
        {
            await Expect(row.GetByTestId("conversion-status")).ToHaveTextAsync("Suspicious");
            await Expect(row.GetByTestId("conversion-reason")).ToHaveTextAsync("Self-referral: same IP as the partner's own session");
        }

        await Button(one, "Accept").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByLabel("Note (optional)").FillAsync("Customer verified by phone.");
        await Button(dialog, "Accept").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(one.GetByTestId("conversion-status")).ToHaveTextAsync("Accepted");
        await Expect(one.GetByTestId("conversion-reason")).ToHaveCountAsync(0);
        await Expect(one.GetByTestId("review-note")).ToHaveTextAsync("Customer verified by phone.");
        await Expect(Button(one, "Accept")).ToHaveCountAsync(0);

        await Button(two, "Reject").ClickAsync();
        await Button(dialog, "Reject").ClickAsync();
        await Expect(dialog).ToContainTextAsync("Say why it is rejected");
        await dialog.GetByLabel("Why is it rejected?").FillAsync("Bought through their own link.");
        await Button(dialog, "Reject").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(two.GetByTestId("conversion-status")).ToHaveTextAsync("Rejected");
        await Expect(two.GetByTestId("review-note")).ToHaveTextAsync("Bought through their own link.");

        var statuses = await App.AsAdminAsync(async services =>
        {
            var conversions = services.GetRequiredService<ConversionService>();
            return ((await conversions.GetAsync(accepted)).Value!, (await conversions.GetAsync(rejected)).Value!);
        });
        Assert.Equal((ConversionStatus.Accepted, "Customer verified by phone."), (statuses.Item1.Status, statuses.Item1.ReviewNote));
        Assert.Equal((ConversionStatus.Rejected, "Bought through their own link."), (statuses.Item2.Status, statuses.Item2.ReviewNote));

        await OpenAsync(page, $"partners/{partner.Id}");
        await Expect(page.GetByTestId("partner-conversions")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("partner-in-review")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task A_viewer_reads_conversions_rewards_and_rule_sets_without_any_action()
    {
        var showcase = await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(Roles.Viewer);

        await OpenAsync(page, "conversions");
        await Expect(Rows(page).First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("conversion-status").Filter(new() { HasText = "Suspicious" }).First).ToBeVisibleAsync();
        foreach (var action in new[] { "Accept", "Reject", "Refund" })
        {
            await Expect(Button(page, action)).ToHaveCountAsync(0);
        }

        await OpenAsync(page, "rewards");
        await Expect(Rows(page).First).ToBeVisibleAsync();
        await Expect(Button(page, "History").First).ToBeVisibleAsync();
        foreach (var action in new[] { "Approve", "Mark paid", "Reverse" })
        {
            await Expect(Button(page, action)).ToHaveCountAsync(0);
        }

        await OpenAsync(page, "rewards/rule-sets");
        await Expect(Rows(page).First).ToBeVisibleAsync();
        await Expect(Button(page, "Create Rule Set")).ToHaveCountAsync(0);
        await OpenAsync(page, $"rewards/rule-sets/{showcase.RuleSetId}");
        await Expect(Rows(page)).ToHaveCountAsync(2);
        foreach (var action in new[] { "Edit", "Delete", "Add action" })
        {
            await Expect(Button(page, action)).ToHaveCountAsync(0);
        }
    }

    private static async Task FilterByPartnerAsync(IPage page, PartnerRow partner)
    {
        await page.GetByLabel("Partner", new() { Exact = true }).FillAsync(partner.ExternalId!);
        await OpenOption(page, $"{partner.Name} ({partner.ExternalId})").ClickAsync();
        await Expect(OpenOptions(page)).ToHaveCountAsync(0);
    }
}
