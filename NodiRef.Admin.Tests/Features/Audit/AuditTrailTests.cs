using System.Reflection;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Audit;

/// <summary>What the audit trail records for each kind of change, under whom, and that it cannot be left out.</summary>
public sealed class AuditTrailTests : ServiceTest
{
    private async Task<List<AuditEvent>> EntriesAsync(string type, string id)
    {
        await using var db = App.Database.CreateContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.EntityType == type && e.EntityId == id).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    private void ActAsPerson(string userId, string email, string role) =>
        App.CurrentUser.Set(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Role, role)], "Test")));

    private async Task<UserRow> GivenPersonAsync(string email, string role)
    {
        App.ActAs(Roles.Admin);
        return Ok(await App.Users.CreateAsync(new CreateUserInput(email, email.Split('@')[0], role, "Correct-Horse-7"), Ct));
    }

    [Fact]
    public async Task A_partner_created_changed_and_deleted_by_a_person_leaves_three_entries_with_who_when_and_each_field_before_and_after()
    {
        var ada = await GivenPersonAsync("ada@example.com", Roles.Operator);
        ActAsPerson(ada.Id, ada.Email, Roles.Operator);
        var at = App.Clock.GetUtcNow().UtcDateTime;

        var partner = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Grady", "crm-1", PartnerStatus.Active, null), Ct)).Partner;
        var changed = Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Grady Booch", "crm-1", PartnerStatus.Inactive, null), partner.Version, Ct));
        Ok(await App.Partners.DeleteAsync(partner.Id, changed.Partner.Version, Ct));

        var entries = await EntriesAsync("Partner", partner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([AuditAction.Created, AuditAction.Updated, AuditAction.Deleted], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AuditActorKind.User, ada.Id, "ada@example.com", at), (e.ActorKind, e.ActorId, e.ActorName, e.At)));

        var created = AuditTrail.ChangesOf(entries[0]).ToDictionary(c => c.Field, c => (c.Before, c.After));
        Assert.Equal((null, "Grady"), created["Name"]);
        Assert.Equal((null, "crm-1"), created["ExternalId"]);
        Assert.Equal((null, "Active"), created["Status"]);
        Assert.DoesNotContain("Version", created.Keys);
        Assert.DoesNotContain("NameSearch", created.Keys);
        Assert.DoesNotContain("UpdatedAt", created.Keys);

        // Only what changed, with both values; the label is the name it had then.
        Assert.Equal(
            [new AuditChange("Name", "Grady", "Grady Booch"), new AuditChange("Status", "Active", "Inactive")],
            AuditTrail.ChangesOf(entries[1]).OrderBy(c => c.Field, StringComparer.Ordinal));
        Assert.Equal("Grady Booch", entries[1].EntityLabel);
        Assert.Contains(new AuditChange("Name", "Grady Booch", null), AuditTrail.ChangesOf(entries[2]));
    }

    [Fact]
    public async Task A_save_that_changes_nothing_but_ignored_fields_leaves_no_entry()
    {
        var partner = await GivenPartnerAsync("Same");
        App.ActAs(Roles.Operator);

        Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Same", null, PartnerStatus.Active, null), partner.Version, Ct));

        Assert.Single(await EntriesAsync("Partner", partner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_change_that_rolls_back_leaves_no_entry()
    {
        var partner = await GivenPartnerAsync("Kept");
        await using (var db = App.Database.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            var tracked = await db.Partners.SingleAsync(p => p.Id == partner.Id, Ct);
            tracked.Name = "Rolled back";
            await db.SaveChangesAsync(Ct);
            Assert.Equal(2, await db.AuditEvents.CountAsync(Ct));
            await tx.RollbackAsync(Ct);
        }

        var entries = await EntriesAsync("Partner", partner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(AuditAction.Created, Assert.Single(entries).Action);
    }

    [Fact]
    public async Task A_unique_clash_saves_neither_the_row_nor_its_entry()
    {
        await GivenPartnerAsync("First", externalId: "taken");
        App.ActAs(Roles.Operator);

        var clash = await App.Partners.CreateAsync(new CreatePartnerInput("Second", "taken", PartnerStatus.Active, null), Ct);

        Assert.False(clash.Succeeded);
        await using var db = App.Database.CreateContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.EntityType == "Partner", Ct));
    }

    [Fact]
    public async Task A_token_and_a_password_are_secrets_whose_change_is_named_but_never_shown()
    {
        App.Get<CurrentUser>().Set(CurrentUser.System(worker: "command line create-token"));
        var created = Ok(await App.Get<Admin.Features.ApiTokens.ApiTokenService>().CreateAsync("Backend", Roles.Tracking, null, Ct));
        var user = await GivenPersonAsync("grace@example.com", Roles.Viewer);
        Ok(await App.Users.ResetPasswordAsync(user.Id, "Another-Horse-8", Ct));

        var token = Assert.Single(await EntriesAsync("ApiToken", created.Token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((AuditActorKind.System, null, "system: command line create-token"), (token.ActorKind, token.ActorId, token.ActorName));
        Assert.Contains(new AuditChange("Hash", null, null, Secret: true), AuditTrail.ChangesOf(token));
        Assert.DoesNotContain(created.Secret, token.Changes, StringComparison.Ordinal);

        var passwords = (await EntriesAsync("User", user.Id)).SelectMany(AuditTrail.ChangesOf).Where(c => c.Field == "PasswordHash").ToList();
        Assert.Equal(2, passwords.Count);
        Assert.All(passwords, c => Assert.Equal((true, null, null), (c.Secret, c.Before, c.After)));
    }

    [Fact]
    public async Task A_role_change_is_recorded_by_the_role_names()
    {
        var user = await GivenPersonAsync("hedy@example.com", Roles.Viewer);

        Ok(await App.Users.ChangeRoleAsync(user.Id, Roles.Operator, Ct));

        var roles = (await EntriesAsync("UserRole", user.Id)).Select(e => (e.Action, AuditTrail.ChangesOf(e).Single())).ToList();
        Assert.Equal(
            [(AuditAction.Created, new AuditChange("Role", null, Roles.Viewer)), (AuditAction.Deleted, new AuditChange("Role", Roles.Viewer, null)), (AuditAction.Created, new AuditChange("Role", null, Roles.Operator))],
            roles);
    }

    [Fact]
    public async Task An_audited_change_saved_without_an_actor_fails_and_saves_nothing()
    {
        var factory = App.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(Ct);
        db.Auditor = null;
        db.Projects.Add(new Project { Name = "No one", LandingUrl = "https://example.com/" });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));

        Assert.Contains("no Auditor", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync<Project>());
    }

    [Fact]
    public async Task Every_entity_type_of_the_model_is_either_audited_or_listed_with_why_not()
    {
        await using var db = App.Database.CreateContext();
        var types = db.Model.GetEntityTypes().Select(t => t.ClrType).ToHashSet();

        Assert.Empty(types.Where(t => !AuditTrail.Audited.ContainsKey(t) && !AuditTrail.NotAudited.ContainsKey(t)).Select(t => t.Name));
        Assert.Empty(AuditTrail.Audited.Keys.Intersect(AuditTrail.NotAudited.Keys));
        Assert.Empty(AuditTrail.Audited.Keys.Concat(AuditTrail.NotAudited.Keys).Where(t => !types.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Every_area_service_works_on_audited_contexts_not_on_the_raw_factory()
    {
        var raw = typeof(Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>);
        foreach (var service in AppServices.AreaServices)
        {
            var parameters = service.GetConstructors(BindingFlags.Public | BindingFlags.Instance).SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).ToList();
            Assert.False(parameters.Contains(raw), $"{service.Name} takes IDbContextFactory<AppDbContext>: take AppDbFactory, so what it saves is recorded under who is acting.");
        }
    }
}
