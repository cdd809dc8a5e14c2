using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.ReferralLinks;

public sealed class ReferralLinkServiceTests : ServiceTest
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string CodeField = nameof(CreateLinkInput.Code);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Operator);
    }

    private async Task<ReferralLink> StoredAsync(int id)
    {
        await using var db = App.Database.CreateContext();
        return await db.ReferralLinks.AsNoTracking().SingleAsync(l => l.Id == id, Ct);
    }

    [Fact]
    public async Task Creates_a_link_with_a_custom_code_as_typed()
    {
        var partner = await GivenPartnerAsync("Owner", "ext-owner");

        var link = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "  Summer-2026_a ", TargetUrl: " https://shop.example.com/x ", Metadata: "{ \"campaign\" : \"spring\" }"), Ct));

        Assert.Equal("Summer-2026_a", link.Code);
        Assert.Equal(partner.Id, link.PartnerId);
        Assert.Equal("Owner", link.PartnerName);
        Assert.Equal("ext-owner", link.PartnerExternalId);
        Assert.Equal("https://shop.example.com/x", link.TargetUrl);
        Assert.Equal("{\"campaign\":\"spring\"}", link.Metadata);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, link.CreatedAt);
        Assert.Equal("SUMMER-2026_A", (await StoredAsync(link.Id)).CodeKey);
    }

    [Theory]
    [InlineData("ab", "3 to 64")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123x", "3 to 64")]
    [InlineData("has space", "only letters")]
    [InlineData("semi;colon", "only letters")]
    [InlineData("ünïcode", "only letters")]
    [InlineData("dot.ted", "only letters")]
    public async Task A_malformed_custom_code_is_refused(string code, string why)
    {
        var partner = await GivenPartnerAsync("Owner");

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, code), Ct);

        Assert.Contains(why, InvalidOn(result, CodeField));
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Theory]
    [InlineData("Summer", "SUMMER")]
    [InlineData("Summer", "summer")]
    [InlineData("Summer", "Summer")]
    public async Task Codes_are_unique_regardless_of_case_and_the_error_names_the_existing_code(string existing, string attempt)
    {
        var first = await GivenPartnerAsync("First");
        var second = await GivenPartnerAsync("Second");
        await GivenLinkAsync(first.Id, existing);

        var result = await App.Links.CreateAsync(new CreateLinkInput(second.Id, attempt), Ct);

        Assert.Contains($"\"{existing}\"", ConflictOn(result, CodeField));
        Assert.Equal(1, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task Without_a_code_one_is_generated()
    {
        var partner = await GivenPartnerAsync("Owner");

        var first = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id), Ct));
        var second = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "   "), Ct));

        Assert.All([first.Code, second.Code], code =>
        {
            Assert.Equal(ReferralCode.GeneratedLength, code.Length);
            Assert.All(code, c => Assert.Contains(c, Base62));
        });
        Assert.NotEqual(first.Code, second.Code);
    }

    [Fact]
    public async Task The_project_defaults_to_the_partners_default_project()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);

        var byDefault = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "by-default"), Ct));
        var explicitProject = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "explicit", ProjectId: b.Id), Ct));
        var noProject = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "none", UseDefaultProject: false), Ct));

        Assert.Equal(new ProjectRef(a.Id, "Alpha"), byDefault.Project);
        Assert.Equal(new ProjectRef(b.Id, "Bravo"), explicitProject.Project);
        Assert.Null(noProject.Project);
    }

    [Fact]
    public async Task A_partner_without_default_project_gets_a_link_without_project()
    {
        var partner = await GivenPartnerAsync("Owner");

        var link = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "loose"), Ct));

        Assert.Null(link.Project);
    }

    [Fact]
    public async Task A_link_for_a_missing_partner_is_refused()
    {
        var result = await App.Links.CreateAsync(new CreateLinkInput(999, "orphan"), Ct);

        Assert.Contains("999", InvalidOn(result, nameof(CreateLinkInput.PartnerId)));
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task A_link_into_an_archived_project_is_refused()
    {
        var archived = await GivenProjectAsync("Archived", ProjectStatus.Archived);
        var partner = await GivenPartnerAsync("Owner");

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "late", ProjectId: archived.Id), Ct);

        Assert.Contains("archived", InvalidOn(result, nameof(CreateLinkInput.ProjectId)));
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Theory]
    [InlineData("shop.example.com")]
    [InlineData("/landing")]
    [InlineData("ftp://example.com/file")]
    [InlineData("javascript:alert(1)")]
    [InlineData("mailto:a@example.com")]
    public async Task The_target_url_must_be_an_absolute_http_url(string url)
    {
        var partner = await GivenPartnerAsync("Owner");

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "target", TargetUrl: url), Ct);

        Assert.Contains("http", InvalidOn(result, nameof(CreateLinkInput.TargetUrl)));
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task The_target_url_may_be_left_empty()
    {
        var partner = await GivenPartnerAsync("Owner");

        var link = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "empty-target", TargetUrl: "  "), Ct));

        Assert.Null(link.TargetUrl);
    }

    [Theory]
    [InlineData("[1, 2, 3]", "JSON object")]
    [InlineData("\"just a string\"", "JSON object")]
    [InlineData("42", "JSON object")]
    [InlineData("null", "JSON object")]
    [InlineData("{\"unclosed\": ", "not valid JSON")]
    [InlineData("campaign=spring", "not valid JSON")]
    public async Task Metadata_must_be_a_json_object(string metadata, string why)
    {
        var partner = await GivenPartnerAsync("Owner");

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "meta", Metadata: metadata), Ct);

        Assert.Contains(why, InvalidOn(result, nameof(CreateLinkInput.Metadata)));
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task Metadata_larger_than_16_KB_is_refused()
    {
        var partner = await GivenPartnerAsync("Owner");
        var big = "{\"blob\":\"" + new string('x', ReferralLink.MetadataMaxLength) + "\"}";

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "big-meta", Metadata: big), Ct);

        InvalidOn(result, nameof(CreateLinkInput.Metadata));
    }

    [Fact]
    public async Task Update_changes_target_and_metadata_and_bumps_the_version()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "editable");
        App.Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, "https://example.com/new", "{\"a\":1}"), link.Version, Ct));

        Assert.Equal("https://example.com/new", updated.TargetUrl);
        Assert.Equal("{\"a\":1}", updated.Metadata);
        Assert.Equal(link.Version + 1, updated.Version);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, updated.UpdatedAt);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_a_conflict_carrying_the_current_values()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "contested");
        var first = Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, "https://example.com/first", null), link.Version, Ct));

        var second = await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, "https://example.com/second", null), link.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, second.Status);
        Assert.NotNull(second.Value);
        Assert.Equal(first.Version, second.Value.Version);
        Assert.Equal("https://example.com/first", second.Value.TargetUrl);
    }

    [Fact]
    public async Task Update_validates_target_and_metadata()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "validated");

        var result = await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, "not a url", "[]"), link.Version, Ct);

        InvalidOn(result, nameof(CreateLinkInput.TargetUrl));
        InvalidOn(result, nameof(CreateLinkInput.Metadata));
        Assert.Null((await StoredAsync(link.Id)).TargetUrl);
    }

    [Fact]
    public async Task An_operator_cannot_move_a_link_to_another_project()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));

        var viaUpdate = await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(b.Id, null, null), link.Version, Ct);
        var viaChange = await App.Links.ChangeProjectAsync(link.Id, b.Id, link.Version, Ct);
        var detach = await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, null, null), link.Version, Ct);

        Assert.Equal(ResultStatus.Forbidden, viaUpdate.Status);
        Assert.Equal(ResultStatus.Forbidden, viaChange.Status);
        Assert.Equal(ResultStatus.Forbidden, detach.Status);
        var stored = await StoredAsync(link.Id);
        Assert.Equal(a.Id, stored.ProjectId);
        Assert.Equal(link.Version, stored.Version);
    }

    [Fact]
    public async Task An_operator_may_edit_a_link_that_stays_in_its_project()
    {
        var a = await GivenProjectAsync("Alpha");
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));

        var updated = Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(a.Id, "https://example.com/", null), link.Version, Ct));

        Assert.Equal(a.Id, updated.Project?.Id);
        Assert.Equal("https://example.com/", updated.TargetUrl);
    }

    [Fact]
    public async Task An_admin_can_move_a_link_with_update_or_change_project()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));
        App.ActAs(Roles.Admin);

        var moved = Ok(await App.Links.ChangeProjectAsync(link.Id, b.Id, link.Version, Ct));
        var movedBack = Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(a.Id, null, null), moved.Version, Ct));
        var detached = Ok(await App.Links.ChangeProjectAsync(link.Id, null, movedBack.Version, Ct));

        Assert.Equal(new ProjectRef(b.Id, "Bravo"), moved.Project);
        Assert.Equal(new ProjectRef(a.Id, "Alpha"), movedBack.Project);
        Assert.Null(detached.Project);
        Assert.Null((await StoredAsync(link.Id)).ProjectId);
    }

    [Fact]
    public async Task Moving_a_link_keeps_the_project_of_past_clicks()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));
        await GivenClickAsync(link.Id);
        App.ActAs(Roles.Admin);

        Ok(await App.Links.ChangeProjectAsync(link.Id, b.Id, link.Version, Ct));

        await using var db = App.Database.CreateContext();
        Assert.Equal(a.Id, (await db.Clicks.SingleAsync(Ct)).ProjectId);
    }

    [Fact]
    public async Task Moving_a_link_into_an_archived_or_missing_project_is_refused()
    {
        var a = await GivenProjectAsync("Alpha");
        var archived = await GivenProjectAsync("Archived", ProjectStatus.Archived);
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));
        App.ActAs(Roles.Admin);

        var viaChange = await App.Links.ChangeProjectAsync(link.Id, archived.Id, link.Version, Ct);
        var viaUpdate = await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(archived.Id, null, null), link.Version, Ct);
        var missing = await App.Links.ChangeProjectAsync(link.Id, 8080, link.Version, Ct);

        Assert.Contains("archived", InvalidOn(viaChange, nameof(CreateLinkInput.ProjectId)));
        Assert.Contains("archived", InvalidOn(viaUpdate, nameof(CreateLinkInput.ProjectId)));
        InvalidOn(missing, nameof(CreateLinkInput.ProjectId));
        Assert.Equal(a.Id, (await StoredAsync(link.Id)).ProjectId);
    }

    [Fact]
    public async Task ChangeProject_with_a_stale_version_is_a_conflict()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Owner", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));
        App.ActAs(Roles.Admin);
        var edited = Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(a.Id, "https://example.com/", null), link.Version, Ct));

        var result = await App.Links.ChangeProjectAsync(link.Id, b.Id, link.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal(edited.Version, result.Value?.Version);
        Assert.Equal(a.Id, (await StoredAsync(link.Id)).ProjectId);
    }

    [Fact]
    public async Task Delete_removes_a_link_without_clicks()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "deletable");
        var other = await GivenLinkAsync(partner.Id, "stays");

        Assert.True(Ok(await App.Links.DeleteAsync(link.Id, link.Version, Ct)));

        Assert.Equal([other.Id], (await LinksOfAsync(partner.Id)).Select(l => l.Id));
        Assert.Equal(ResultStatus.NotFound, (await App.Links.GetAsync(link.Id, Ct)).Status);
    }

    [Fact]
    public async Task Delete_of_a_link_with_clicks_is_refused()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "clicked");
        await GivenClickAsync(link.Id);

        var result = await App.Links.DeleteAsync(link.Id, link.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Contains("click(s)", result.Message);
        Assert.Contains("clicked", result.Message);
        Assert.Equal(1, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task Delete_with_a_stale_version_is_a_conflict()
    {
        var partner = await GivenPartnerAsync("Owner");
        var link = await GivenLinkAsync(partner.Id, "stale-del");
        Ok(await App.Links.UpdateAsync(link.Id, new UpdateLinkInput(null, "https://example.com/", null), link.Version, Ct));

        var result = await App.Links.DeleteAsync(link.Id, link.Version, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal(1, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task List_filters_by_partner_project_and_code()
    {
        var a = await GivenProjectAsync("Alpha");
        var p1 = await GivenPartnerAsync("One");
        var p2 = await GivenPartnerAsync("Two");
        await GivenLinkAsync(p1.Id, "one-alpha", a.Id);
        await GivenLinkAsync(p1.Id, "one-loose");
        await GivenLinkAsync(p2.Id, "two-alpha", a.Id);

        async Task<IEnumerable<string>> CodesAsync(LinkQuery q) =>
            Ok(await App.Links.ListAsync(q with { Sort = new SortSpec(nameof(ReferralLink.Code), false) }, Ct)).Items.Select(l => l.Code);

        Assert.Equal(["one-alpha", "one-loose"], await CodesAsync(new LinkQuery(PartnerId: p1.Id)));
        Assert.Equal(["one-alpha", "two-alpha"], await CodesAsync(new LinkQuery(ProjectId: a.Id)));
        Assert.Equal(["two-alpha"], await CodesAsync(new LinkQuery(Code: "TWO-ALPHA")));
        Assert.Equal(["one-alpha", "one-loose"], await CodesAsync(new LinkQuery(Search: "ONE")));
    }
}
