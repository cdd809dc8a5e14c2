using Bunit;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Partners;

/// <summary>A partner's page: its figures and charts for a range, its links' own figures, and a link's share dialog.</summary>
public sealed class PartnerPerformanceTests : ComponentTest
{
    [Fact]
    public async Task The_partner_page_shows_its_own_figures_and_each_links_clicks_referrals_and_conversions()
    {
        var (_, partner, link) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, _, other) = await GivenPartnerWithLinkAsync("Sam Other");
        await GivenConversionAsync(link, 40m, "EUR");
        await GivenConversionAsync(link, 60m, "EUR");
        await GivenConversionAsync(other, 99m, "EUR");
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<PartnerPage>(p => p.Add(x => x.Id, partner.Id));

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=partner-performance] [data-testid=kpi-conversions] [data-testid=kpi-value]").TextContent.Trim()));
        Assert.Equal("100.00 EUR", cut.Find("[data-testid=partner-performance] [data-testid=kpi-revenue] [data-testid=kpi-value]").TextContent.Trim());
        Assert.NotNull(cut.Find("[data-testid=chart-activity]"));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=link-clicks]").TextContent.Trim()));
        Assert.Equal("2", cut.Find("[data-testid=link-referrals]").TextContent.Trim());
        Assert.Equal("2", cut.Find("[data-testid=link-conversions]").TextContent.Trim());
    }

    [Fact]
    public async Task A_links_share_dialog_shows_its_short_url_and_a_qr_code_to_download_as_png_and_svg()
    {
        var (_, partner, link) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        SignInAs(Roles.Viewer);
        var cut = RenderInHost<PartnerPage>(p => p.Add(x => x.Id, partner.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"button[aria-label='Share link {link.Code}']")));

        cut.Find($"button[aria-label='Share link {link.Code}']").Click();

        cut.WaitForAssertion(() => Assert.Equal($"http://localhost/r/{link.Code}", Field(cut, "Share URL").GetAttribute("value")));
        Assert.StartsWith("data:image/svg+xml;base64,", cut.Find("[data-testid=share-qr]").GetAttribute("src"), StringComparison.Ordinal);
        var png = cut.Find("[data-testid=share-qr-png]");
        Assert.Equal($"{link.Code}-qr.png", png.GetAttribute("download"));
        var bytes = Convert.FromBase64String(png.GetAttribute("href")!["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        var svg = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cut.Find("[data-testid=share-qr-svg]").GetAttribute("href")!["data:image/svg+xml;base64,".Length..]));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
    }
}
