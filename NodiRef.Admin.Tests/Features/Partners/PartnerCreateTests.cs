using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Partners;

public sealed class PartnerCreateTests : ServiceTest
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Operator);
    }

    [Fact]
    public async Task Creates_a_partner_with_trimmed_values_and_the_clock_time()
    {
        var result = await App.Partners.CreateAsync(new CreatePartnerInput("  Alice Cooper  ", "  ext-1 ", PartnerStatus.Inactive), Ct);

        var partner = Ok(result).Partner;
        Assert.True(partner.Id > 0);
        Assert.Equal("Alice Cooper", partner.Name);
        Assert.Equal("ext-1", partner.ExternalId);
        Assert.Equal(PartnerStatus.Inactive, partner.Status);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, partner.CreatedAt);
        Assert.Equal(partner.CreatedAt, partner.UpdatedAt);
        Assert.Equal(0, Ok(result).ClickCount);
        Assert.Equal(1, await CountAsync<Partner>());
    }

    [Fact]
    public async Task A_blank_external_id_is_stored_as_none()
    {
        var partner = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Bob", "   "), Ct)).Partner;
        var other = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Carol", ""), Ct)).Partner;

        Assert.Null(partner.ExternalId);
        Assert.Null(other.ExternalId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("    ")]
    public async Task Name_is_required(string? name)
    {
        var result = await App.Partners.CreateAsync(new CreatePartnerInput(name), Ct);

        Assert.Contains("required", InvalidOn(result, nameof(CreatePartnerInput.Name)));
        Assert.Equal(0, await CountAsync<Partner>());
    }

    [Fact]
    public async Task Name_may_be_200_characters_but_not_201()
    {
        var tooLong = await App.Partners.CreateAsync(new CreatePartnerInput(new string('n', Partner.NameMaxLength + 1)), Ct);
        var longest = await App.Partners.CreateAsync(new CreatePartnerInput(new string('n', Partner.NameMaxLength)), Ct);

        Assert.Contains("200", InvalidOn(tooLong, nameof(CreatePartnerInput.Name)));
        Ok(longest);
        Assert.Equal(1, await CountAsync<Partner>());
    }

    [Fact]
    public async Task External_id_may_be_200_characters_but_not_201()
    {
        var tooLong = await App.Partners.CreateAsync(new CreatePartnerInput("Dana", new string('x', Partner.ExternalIdMaxLength + 1)), Ct);
        var longest = await App.Partners.CreateAsync(new CreatePartnerInput("Dana", new string('x', Partner.ExternalIdMaxLength)), Ct);

        Assert.Contains("200", InvalidOn(tooLong, nameof(CreatePartnerInput.ExternalId)));
        Assert.False(tooLong.Errors.ContainsKey(nameof(CreatePartnerInput.Name)));
        Ok(longest);
        Assert.Equal(1, await CountAsync<Partner>());
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var result = await App.Partners.CreateAsync(new CreatePartnerInput("", new string('x', 201), (PartnerStatus)42, ProjectId: 999), Ct);

        InvalidOn(result, nameof(CreatePartnerInput.Name));
        InvalidOn(result, nameof(CreatePartnerInput.ExternalId));
        InvalidOn(result, nameof(CreatePartnerInput.Status));
        InvalidOn(result, nameof(CreatePartnerInput.ProjectId));
    }

    [Fact]
    public async Task External_id_must_be_unique_and_the_error_names_its_owner()
    {
        var owner = await GivenPartnerAsync("Erin Owner", "crm-42");

        var result = await App.Partners.CreateAsync(new CreatePartnerInput("Someone Else", " crm-42 "), Ct);

        var error = ConflictOn(result, nameof(CreatePartnerInput.ExternalId));
        Assert.Contains("Erin Owner", error);
        Assert.Contains($"#{owner.Id}", error);
        Assert.Equal(1, await CountAsync<Partner>());
    }

    [Fact]
    public async Task Partners_without_external_id_do_not_clash()
    {
        await GivenPartnerAsync("First");

        Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Second"), Ct));
        Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Second"), Ct)); // names are not unique either

        Assert.Equal(3, await CountAsync<Partner>());
    }

    [Fact]
    public async Task With_a_project_one_link_with_a_generated_code_is_created_in_the_same_transaction()
    {
        var project = await GivenProjectAsync("Shop");
        var transactionsBefore = App.SqlHook.TransactionsStarted;

        var created = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Frank", ProjectId: project.Id), Ct)).Partner;

        Assert.Equal(1, App.SqlHook.TransactionsStarted - transactionsBefore);
        Assert.Equal([project.Id], created.Projects.Select(p => p.Id));
        var link = Assert.Single(await LinksOfAsync(created.Id));
        Assert.Equal(project.Id, link.ProjectId);
        Assert.Equal(10, link.Code.Length);
        Assert.All(link.Code, c => Assert.Contains(c, Base62));
        Assert.Equal(ReferralCode.ToKey(link.Code), link.CodeKey);
        Assert.Equal(created.CreatedAt, link.CreatedAt);
        Assert.Equal(1, await CountAsync<ReferralLink>());

        Assert.Equal(new ProjectRef(project.Id, "Shop"), created.DefaultProject);
        Assert.Equal([new ProjectRef(project.Id, "Shop")], created.Projects);
        Assert.Equal(1, created.LinkCount);
    }

    [Fact]
    public async Task Without_a_project_no_link_is_created()
    {
        var created = Ok(await App.Partners.CreateAsync(new CreatePartnerInput("Gina"), Ct)).Partner;

        Assert.Empty(await LinksOfAsync(created.Id));
        Assert.Equal(0, await CountAsync<ReferralLink>());
        Assert.Null(created.DefaultProject);
        Assert.Empty(created.Projects);
        Assert.Equal(0, created.LinkCount);
    }

    [Fact]
    public async Task An_archived_project_is_refused_and_nothing_is_saved()
    {
        var archived = await GivenProjectAsync("Old campaign", ProjectStatus.Archived);

        var result = await App.Partners.CreateAsync(new CreatePartnerInput("Hank", "ext-h", ProjectId: archived.Id), Ct);

        Assert.Contains("archived", InvalidOn(result, nameof(CreatePartnerInput.ProjectId)));
        Assert.Equal(0, await CountAsync<Partner>());
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task A_missing_project_is_refused_and_nothing_is_saved()
    {
        var result = await App.Partners.CreateAsync(new CreatePartnerInput("Ivy", ProjectId: 4242), Ct);

        Assert.Contains("4242", InvalidOn(result, nameof(CreatePartnerInput.ProjectId)));
        Assert.Equal(0, await CountAsync<Partner>());
        Assert.Equal(0, await CountAsync<ReferralLink>());
    }

    [Fact]
    public async Task Membership_is_derived_from_links_plus_the_default_project()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Jules", projectId: a.Id);
        var link = Assert.Single(await LinksOfAsync(partner.Id));

        App.ActAs(Roles.Admin);
        Ok(await App.Links.ChangeProjectAsync(link.Id, b.Id, link.Version, Ct));

        var details = Ok(await App.Partners.GetAsync(partner.Id, Ct)).Partner;
        Assert.Equal([new ProjectRef(a.Id, "Alpha"), new ProjectRef(b.Id, "Bravo")], details.Projects);
        Assert.Equal(new ProjectRef(a.Id, "Alpha"), details.DefaultProject);

        var inB = Ok(await App.Partners.ListAsync(new PartnerQuery(ProjectId: b.Id), Ct));
        Assert.Equal([partner.Id], inB.Items.Select(p => p.Id));
        var inA = Ok(await App.Partners.ListAsync(new PartnerQuery(ProjectId: a.Id), Ct));
        Assert.Equal([partner.Id], inA.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task Links_in_several_projects_make_the_partner_a_member_of_each_once()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        var partner = await GivenPartnerAsync("Kim", projectId: b.Id);
        await GivenLinkAsync(partner.Id, "kim-a1", a.Id);
        await GivenLinkAsync(partner.Id, "kim-a2", a.Id);
        await GivenLinkAsync(partner.Id, "kim-b", b.Id);

        var details = Ok(await App.Partners.GetAsync(partner.Id, Ct)).Partner;

        Assert.Equal([a.Id, b.Id], details.Projects.Select(p => p.Id));
        Assert.Equal(4, details.LinkCount);
    }
}
