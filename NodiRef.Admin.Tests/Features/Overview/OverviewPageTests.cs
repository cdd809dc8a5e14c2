using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Components;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>The home page: the empty install's checklist, the KPI cards, the range in the URL, the leaderboards.</summary>
public sealed class OverviewPageTests : ComponentTest
{
    private static string Kpi(IRenderedComponent<TestHost> cut, string id) =>
        cut.Find($"[data-testid={id}] [data-testid=kpi-value]").TextContent.Trim();

    [Fact]
    public void An_empty_install_shows_the_checklist_with_every_step_to_do_instead_of_zeros()
    {
        SignInAs(Roles.Operator);

        var cut = RenderInHost<OverviewPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=getting-started]")));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=overview-empty]")));
        Assert.Equal(["false", "false", "false", "false", "false"],
            cut.FindAll(".checklist .step").Select(s => s.GetAttribute("data-done")));
        Assert.Empty(cut.FindAll("[data-testid=kpi-cards]"));
        Assert.Contains("0 of 5 done", cut.Markup, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=send-test-conversion]").HasAttribute("disabled"));
    }

    [Fact]
    [OwnConnections("the app's click writer runs beside the page's queries")]
    public async Task The_test_conversion_button_ticks_off_its_step_from_the_data_it_wrote()
    {
        await GivenPartnerWithLinkAsync("Ada Lovelace");
        var writer = App.Provider.GetRequiredService<ClickWriter>();
        await writer.StartAsync(Ct);
        try
        {
            SignInAs(Roles.Operator);
            var cut = RenderInHost<OverviewPage>();
            cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=step-partner]").GetAttribute("data-done")));
            Assert.Equal("false", cut.Find("[data-testid=step-test]").GetAttribute("data-done"));

            cut.Find("[data-testid=send-test-conversion]").Click();

            cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=step-test]").GetAttribute("data-done")), TimeSpan.FromSeconds(10));
            Assert.Contains("Test conversion sent through link", cut.Markup, StringComparison.Ordinal);
            await using var db = App.Database.CreateContext();
            Assert.Equal(1, await db.Conversions.CountAsync(Ct));
        }
        finally
        {
            await writer.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task The_cards_show_the_ranges_figures_per_currency_and_the_link_to_what_waits_for_review()
    {
        var (_, _, ada) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, _, sam) = await GivenPartnerWithLinkAsync("Sam Self");
        await GivenConversionAsync(ada, 1234.5m, "EUR");
        await GivenConversionAsync(ada, 20m, "USD");
        await GivenConversionAsync(sam, 75m, "USD", selfReferral: true);
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal("3", Kpi(cut, "kpi-clicks")));
        Assert.Equal("3", Kpi(cut, "kpi-referrals"));
        Assert.Equal("2", Kpi(cut, "kpi-conversions"));
        Assert.Equal("100 %", Kpi(cut, "kpi-click-rate"));
        Assert.Equal(["1,234.50 EUR", "20.00 USD"], cut.FindAll("[data-testid=kpi-revenue] [data-testid=kpi-value]").Select(e => e.TextContent.Trim()));
        Assert.Equal("new vs previous period", cut.Find("[data-testid=kpi-clicks] [data-testid=kpi-change]").TextContent.Trim());
        Assert.Equal("1", Kpi(cut, "kpi-review"));
        Assert.Equal("conversions?status=suspicious", cut.Find("[data-testid=kpi-review-link]").GetAttribute("href"));
        cut.WaitForAssertion(() => Assert.Contains("Ada Lovelace", cut.Find("[data-testid=leaderboard]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=getting-started] [data-done=false][data-testid=step-project]"));

        // Beside them, loaded on their own: both joined today; Sam's only conversion waits for review, so his click has none.
        cut.WaitForAssertion(() => Assert.Contains("Sam Self", cut.Find("[data-testid=idle-partners]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Ada Lovelace", cut.Find("[data-testid=idle-partners]").TextContent, StringComparison.Ordinal);
        Assert.Equal("New partners 2", cut.Find("[data-testid=new-partners] h2").TextContent.Trim());
    }

    [Fact]
    public async Task A_preset_goes_into_the_url_and_a_url_with_a_project_shows_only_that_project()
    {
        var (shop, _, ada) = await GivenPartnerWithLinkAsync("Ada Lovelace", "Shop");
        var (_, _, sam) = await GivenPartnerWithLinkAsync("Sam Other", "Other");
        await GivenConversionAsync(ada, 10m, "EUR");
        await GivenConversionAsync(sam, 10m, "EUR");
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo($"?range=today&project={shop.Id}");

        var cut = RenderInHost<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal("1", Kpi(cut, "kpi-conversions")));
        Assert.Contains("(UTC)", cut.Find("[data-testid=range-described]").TextContent, StringComparison.Ordinal);

        Choose(cut, "Range", "Last 7 days");

        cut.WaitForAssertion(() => Assert.Contains("range=last-7-days", Navigation.Uri, StringComparison.Ordinal));
        Assert.Contains($"project={shop.Id}", Navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal("1", Kpi(cut, "kpi-conversions")));

        Choose(cut, "Project", "All projects");
        cut.WaitForAssertion(() => Assert.Equal("2", Kpi(cut, "kpi-conversions")));
        Assert.DoesNotContain("project=", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_projects_tracking_snippet_is_filled_in_with_its_link_id_and_public_base_url()
    {
        var (shop, _, ada) = await GivenPartnerWithLinkAsync("Ada Lovelace", "Shop");
        Services.Configure<TrackingOptions>(o => o.PublicBaseUrl = "https://ref.example.com/");
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<ProjectsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"button[aria-label='Tracking snippet of {shop.Name}']")));
        cut.Find($"button[aria-label='Tracking snippet of {shop.Name}']").Click();

        cut.WaitForAssertion(() => Assert.Equal($"https://ref.example.com/r/{ada.Code}", cut.Find("[data-testid=snippet-share]").TextContent.Trim()));
        Assert.Contains("https://ref.example.com/v1/referral", cut.Find("[data-testid=snippet-referral]").TextContent, StringComparison.Ordinal);
        var convert = cut.Find("[data-testid=snippet-convert]").TextContent;
        Assert.Contains($"\"project_id\":{shop.Id}", convert, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer $NODIREF_TOKEN", convert, StringComparison.Ordinal);
        Assert.Contains("tracking_id", cut.Find("[data-testid=snippet-landing]").TextContent, StringComparison.Ordinal);
    }
}
