using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary>The empty install's checklist ticks itself off from the data, and its test conversion goes the whole tracking path.</summary>
public sealed class GettingStartedTests : ServiceTest
{
    private GettingStartedService Service => App.Get<GettingStartedService>();

    [Fact]
    public async Task An_empty_install_has_every_step_to_do_and_each_ticks_off_when_it_happened()
    {
        App.ActAs(Roles.Viewer);
        var empty = Ok(await Service.GetAsync(Ct));
        Assert.Equal((false, false, false, false, false, null, null),
            (empty.HasProject, empty.HasPartner, empty.HasTrackingToken, empty.HasConversion, empty.HasAcceptedConversion, empty.ProjectId, empty.LinkCode));

        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Ann", projectId: project.Id);
        App.ActAs(Roles.Admin);
        Ok(await App.Get<NodiRef.Admin.Features.ApiTokens.ApiTokenService>().CreateAsync("Backend", Roles.Tracking, null, Ct));
        App.ActAs(Roles.Viewer);
        var ready = Ok(await Service.GetAsync(Ct));

        Assert.Equal((true, true, true, false), (ready.HasProject, ready.HasPartner, ready.HasTrackingToken, ready.HasConversion));
        Assert.Equal(project.Id, ready.ProjectId);
        Assert.Equal((await LinksOfAsync(partner.Id)).Single().Code, ready.LinkCode);
        Assert.False(ready.IsDone);
    }

    [Fact]
    [OwnConnections("the app's click writer runs beside the page's queries")]
    public async Task The_test_conversion_records_a_click_a_referral_and_a_purchase_of_nothing_that_the_processor_accepts()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Ann", projectId: project.Id);
        Assert.NotNull(App.Database.ConnectionString); // its own connections, not the one in-memory connection
        var writer = App.Provider.GetRequiredService<ClickWriter>();
        await writer.StartAsync(Ct);
        try
        {
            App.ActAs(Roles.Operator);
            var sent = Ok(await Service.SendTestConversionAsync(Ct));
            await App.Processor.ProcessPendingAsync(Ct);

            await using var db = App.Database.CreateContext();
            var conversion = await db.Conversions.AsNoTracking().SingleAsync(Ct);
            Assert.Equal((sent.ConversionId, ConversionStatus.Accepted, 0L, GettingStartedService.TestProductId, partner.Id),
                (conversion.PublicId, conversion.Status, conversion.AmountUnits, conversion.ProductId, conversion.PartnerId));
            var referral = await db.Referrals.AsNoTracking().SingleAsync(Ct);
            Assert.Equal(sent.ReferralId, referral.PublicId);
            var click = await db.Clicks.AsNoTracking().SingleAsync(Ct);
            Assert.Equal((EventStatus.Recorded, referral.ClickId), (click.Status, click.Id));
            Assert.Empty(await db.Rewards.AsNoTracking().ToListAsync(Ct));

            var done = Ok(await Service.GetAsync(Ct));
            Assert.Equal((true, true), (done.HasConversion, done.HasAcceptedConversion));
        }
        finally
        {
            await writer.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task A_viewer_may_not_send_a_test_conversion_and_without_a_link_there_is_nothing_to_send_it_through()
    {
        App.ActAs(Roles.Viewer);
        Assert.Equal(ResultStatus.Forbidden, (await Service.SendTestConversionAsync(Ct)).Status);

        App.ActAs(Roles.Operator);
        InvalidOn(await Service.SendTestConversionAsync(Ct), "Link");
        Assert.Equal(0, await CountAsync<Conversion>());
        Assert.Equal(0, await CountAsync<Click>());
    }
}
