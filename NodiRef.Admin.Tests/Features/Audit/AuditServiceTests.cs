using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Audit;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Audit;

/// <summary>Reading the audit trail: the log's filters, a row's history with its children's, who may read which, and the retention.</summary>
public sealed class AuditServiceTests : ServiceTest
{
    private AuditService Audit => App.Get<AuditService>();

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_partners_history_holds_its_own_changes_and_its_links_but_not_another_partners()
    {
        var project = await GivenProjectAsync("Shop");
        var ada = await GivenPartnerAsync("Ada", projectId: project.Id);
        var alan = await GivenPartnerAsync("Alan", projectId: project.Id);
        App.ActAs(Roles.Operator);
        var link = (await LinksOfAsync(ada.Id)).Single();
        Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(link.ProjectId, "https://ada.example.com/", null), link.Version, Ct));

        var history = Ok(await Audit.HistoryAsync("Partner", Id(ada.Id), new PageRequest(), Ct));

        Assert.Equal(
            [("ReferralLink", Id(link.Id), AuditAction.Updated), ("ReferralLink", Id(link.Id), AuditAction.Created), ("Partner", Id(ada.Id), AuditAction.Created)],
            history.Items.Select(e => (e.EntityType, e.EntityId, e.Action)));
        Assert.All(history.Items.Where(e => e.EntityType == "ReferralLink"), e => Assert.Equal(("Partner", Id(ada.Id)), (e.ParentType, e.ParentId)));
        Assert.DoesNotContain(history.Items, e => e.EntityId == Id(alan.Id));
    }

    [Fact]
    public async Task A_rule_sets_history_holds_the_changes_of_its_actions_amounts_included()
    {
        var project = await GivenProjectAsync("Shop");
        App.ActAs(Roles.Operator);
        var set = Ok(await App.RuleSets.CreateAsync(new RuleSetInput("Launch", null, null, null, RewardScope.Project, project.Id, true), Ct));
        var action = Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 10m, null, "USD"), Ct));
        Ok(await App.RuleSets.UpdateActionAsync(action.Id, new ActionInput(set.Id, "purchase", RewardType.Percentage, 12.5m, null, "USD"), action.Version, Ct));

        var history = Ok(await Audit.HistoryAsync("RuleSet", Id(set.Id), new PageRequest(), Ct)).Items;

        var changed = history.First(e => e.EntityType == "RuleSetAction" && e.Action == AuditAction.Updated);
        Assert.Contains(changed.Changes, c => c.Field == nameof(RewardAction.RewardAmountUnits) && c.Before != c.After);
        Assert.Equal("RuleSet", history[^1].EntityType);
    }

    [Fact]
    public async Task The_log_filters_by_kind_id_actor_action_and_day_and_pages_newest_first()
    {
        var first = App.Clock.GetUtcNow().UtcDateTime;
        var ada = await GivenPartnerAsync("Ada");
        App.Clock.Advance(TimeSpan.FromDays(2));
        App.ActAs(Roles.Operator);
        Ok(await App.Partners.SetStatusAsync(ada.Id, PartnerStatus.Inactive, null, Ct));
        Ok(await App.Partners.SetStatusAsync(ada.Id, PartnerStatus.Active, null, Ct));
        App.ActAs(Roles.Admin);

        var partnerEntries = Ok(await Audit.ListAsync(new AuditQuery(EntityType: "Partner", EntityId: Id(ada.Id)), Ct));
        var updates = Ok(await Audit.ListAsync(new AuditQuery(EntityType: "Partner", Action: AuditAction.Updated), Ct));
        var firstDay = Ok(await Audit.ListAsync(new AuditQuery(EntityType: "Partner", From: DateOnly.FromDateTime(first), To: DateOnly.FromDateTime(first)), Ct));
        var bySystem = Ok(await Audit.ListAsync(new AuditQuery(Actor: "system"), Ct));
        var secondPage = Ok(await Audit.ListAsync(new AuditQuery(EntityType: "Partner") { PageIndex = 1, PageSize = 2 }, Ct));
        var oldestFirst = Ok(await Audit.ListAsync(new AuditQuery(EntityType: "Partner") { Sort = new SortSpec("at", Descending: false) }, Ct));

        Assert.Equal(3, partnerEntries.Total);
        Assert.Equal([AuditAction.Updated, AuditAction.Updated, AuditAction.Created], partnerEntries.Items.Select(e => e.Action));
        Assert.Equal(2, updates.Total);
        Assert.Equal(AuditAction.Created, Assert.Single(firstDay.Items).Action);
        Assert.Equal(3, bySystem.Total);
        Assert.Equal(AuditAction.Created, Assert.Single(secondPage.Items).Action);
        Assert.Equal(3, secondPage.Total);
        Assert.Equal(AuditAction.Created, oldestFirst.Items[0].Action);
    }

    [Fact]
    public async Task An_unknown_kind_or_a_backwards_range_is_a_field_error()
    {
        App.ActAs(Roles.Admin);

        InvalidOn(await Audit.ListAsync(new AuditQuery(EntityType: "Partnr"), Ct), nameof(AuditQuery.EntityType));
        InvalidOn(await Audit.ListAsync(new AuditQuery(From: new DateOnly(2026, 12, 2), To: new DateOnly(2026, 12, 1)), Ct), nameof(AuditQuery.To));
        InvalidOn(await Audit.ListAsync(new AuditQuery(Actor: new string('a', AuditEvent.NameMaxLength + 1)), Ct), nameof(AuditQuery.Actor));
    }

    [Theory]
    [InlineData(Roles.Operator, false, true)]
    [InlineData(Roles.Viewer, false, false)]
    [InlineData(Roles.Admin, true, true)]
    public async Task Admins_read_the_log_editors_read_a_rows_history(string role, bool log, bool history)
    {
        App.ActAs(role);

        Assert.Equal(log, (await Audit.ListAsync(new AuditQuery(), Ct)).Succeeded);
        Assert.Equal(history, (await Audit.HistoryAsync("Partner", "1", new PageRequest(), Ct)).Succeeded);
    }

    [Fact]
    public async Task The_actor_suggestions_list_each_name_once()
    {
        await GivenPartnerAsync("Ada");
        await GivenPartnerAsync("Alan");
        App.ActAs(Roles.Admin);

        Assert.Equal(["system"], Ok(await Audit.ActorsAsync("sys", Ct)));
        Assert.Empty(Ok(await Audit.ActorsAsync("nobody", Ct)));
    }

    [Fact]
    public async Task Retention_removes_entries_older_than_the_setting_and_without_one_keeps_everything()
    {
        WritesAroundTheAuditTrail("the retention removes the old partner's creation entry on purpose");
        await GivenPartnerAsync("Old");
        App.Clock.Advance(TimeSpan.FromDays(40));
        await GivenPartnerAsync("New");
        var factory = App.Provider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        AuditRetention Retention(int? days) =>
            new(factory, Options.Create(new AuditOptions { RetainDays = days }), App.Clock, DatabaseReadiness.AlreadyReady(), NullLogger<AuditRetention>.Instance);

        Assert.Equal(0, await Retention(null).SweepAsync(Ct));
        Assert.Equal(0, await Retention(0).SweepAsync(Ct));
        Assert.Equal(1, await Retention(30).SweepAsync(Ct));

        await using var db = App.Database.CreateContext();
        Assert.Equal(["New"], await db.AuditEvents.Select(e => e.EntityLabel!).ToListAsync(Ct));
    }
}
