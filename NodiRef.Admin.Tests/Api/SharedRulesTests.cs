using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// The back-office and the API are two doors to the same services: what one writes the other
/// sees, and both enforce the same rules.
/// </summary>
public sealed class SharedRulesTests(ApiFactory api) : ApiTest(api)
{
    private static T Ok<T>(Result<T> result)
    {
        Assert.True(result.Succeeded, $"Expected Ok but got {result.Status}: {result.Describe()}");
        return result.Value!;
    }

    [Fact]
    public async Task A_partner_created_through_the_api_is_in_the_grid()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("grid-");
        var created = await GivenPartnerAsync(name: "Through the API", externalId: externalId, projectId: project.Int("id"), status: "inactive");

        await using var viewer = Api.AsUser(Roles.Viewer);
        var grid = viewer.ServiceProvider.GetRequiredService<PartnerService>();
        var byExternal = Ok(await grid.ListAsync(new PartnerQuery(ExternalId: externalId), Ct));
        var bySearch = Ok(await grid.ListAsync(new PartnerQuery(Search: externalId, ProjectId: project.Int("id"), Status: PartnerStatus.Inactive), Ct));

        var row = Assert.Single(byExternal.Items);
        Assert.Equal(1, byExternal.Total);
        Assert.Equal(created.Int("id"), row.Id);
        Assert.Equal("Through the API", row.Name);
        Assert.Equal(PartnerStatus.Inactive, row.Status);
        Assert.Equal(project.Int("id"), row.DefaultProject?.Id);
        Assert.Equal(1, row.LinkCount);
        Assert.Equal(created.Long("version"), row.Version);
        Assert.Equal(row.Id, Assert.Single(bySearch.Items).Id);
    }

    [Fact]
    public async Task A_partner_created_in_the_back_office_is_in_the_api()
    {
        var externalId = Unique("office-");
        int id;
        await using (var operatorScope = Api.AsUser(Roles.Operator))
        {
            var partners = operatorScope.ServiceProvider.GetRequiredService<PartnerService>();
            id = Ok(await partners.CreateAsync(new CreatePartnerInput("Through the grid", externalId), Ct)).Partner.Id;
        }

        var byExternal = (await Viewer.GetApiAsync($"/api/partners/external/{externalId}")).AssertOne();
        var listed = (await Viewer.GetApiAsync($"/api/partners?filter[external_id]={externalId}")).AssertList(total: 1);

        Assert.Equal(id, byExternal.Int("id"));
        Assert.Equal("Through the grid", byExternal.Str("name"));
        Assert.Equal("active", byExternal.Str("status"));
        Assert.Equal([id], listed.Ids());
    }

    [Fact]
    public async Task A_change_in_the_back_office_shows_in_the_api_with_a_new_etag()
    {
        var partner = await GivenPartnerAsync();
        await using (var operatorScope = Api.AsUser(Roles.Operator))
        {
            var partners = operatorScope.ServiceProvider.GetRequiredService<PartnerService>();
            Ok(await partners.SetStatusAsync(partner.Int("id"), PartnerStatus.Inactive, partner.Long("version"), Ct));
        }

        var answer = await Viewer.GetApiAsync($"/api/partners/{partner.Int("id")}");

        Assert.Equal("inactive", answer.AssertOne().Str("status"));
        Assert.Equal("W/\"1\"", answer.ETag);
        (await Admin.PatchApiAsync($"/api/partners/{partner.Int("id")}", Body(new { name = Unique() }), ("If-Match", "W/\"0\""))).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Uniqueness_holds_across_both_doors()
    {
        var externalId = Unique("both-");
        var code = Unique("Both");
        var projectName = Unique("Both project ");
        await using var operatorScope = Api.AsUser(Roles.Operator);
        var services = operatorScope.ServiceProvider;
        var partner = Ok(await services.GetRequiredService<PartnerService>().CreateAsync(new CreatePartnerInput("Office", externalId), Ct)).Partner;
        Ok(await services.GetRequiredService<ReferralLinkService>().CreateAsync(new CreateLinkInput(partner.Id, code), Ct));
        Ok(await services.GetRequiredService<ProjectService>().CreateAsync(new ProjectInput(projectName, "https://example.com/"), Ct));

        (await Admin.PostApiAsync("/api/partners", Body(new { name = "API", external_id = externalId }))).AssertFieldError("external_id", HttpStatusCode.Conflict);
        (await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = partner.Id, code = code.ToLowerInvariant() }))).AssertFieldError("code", HttpStatusCode.Conflict);
        (await Admin.PostApiAsync("/api/projects", Body(new { name = projectName, landing_url = "https://example.com/" }))).AssertFieldError("name", HttpStatusCode.Conflict);

        var apiExternalId = Unique("api-");
        var apiPartner = await GivenPartnerAsync(externalId: apiExternalId);
        var apiCode = Unique("Api");
        await GivenLinkAsync(apiPartner.Int("id"), apiCode);
        var fromOffice = await services.GetRequiredService<PartnerService>().CreateAsync(new CreatePartnerInput("Office", apiExternalId), Ct);
        var codeFromOffice = await services.GetRequiredService<ReferralLinkService>().CreateAsync(new CreateLinkInput(partner.Id, apiCode.ToUpperInvariant()), Ct);
        Assert.Equal(ResultStatus.Conflict, fromOffice.Status);
        Assert.Equal(ResultStatus.Conflict, codeFromOffice.Status);
    }

    [Fact]
    public async Task A_project_created_through_the_api_is_in_the_projects_grid()
    {
        var project = await GivenProjectAsync();

        await using var viewer = Api.AsUser(Roles.Viewer);
        var page = Ok(await viewer.ServiceProvider.GetRequiredService<ProjectService>().ListAsync(new ProjectQuery(Search: project.Str("name")), Ct));

        var row = Assert.Single(page.Items);
        Assert.Equal(project.Int("id"), row.Id);
        Assert.Equal(project.Str("landing_url"), row.LandingUrl);
    }

    [Fact]
    public async Task A_link_moved_in_the_back_office_moves_the_partners_membership_in_the_api()
    {
        var from = await GivenProjectAsync();
        var to = await GivenProjectAsync();
        var partner = await GivenPartnerAsync();
        var link = await GivenLinkAsync(partner.Int("id"), projectId: from.Int("id"));
        await using (var admin = Api.AsUser(Roles.Admin))
        {
            Ok(await admin.ServiceProvider.GetRequiredService<ReferralLinkService>().ChangeProjectAsync(link.Int("id"), to.Int("id"), link.Long("version"), Ct));
        }

        var inTo = (await Viewer.GetApiAsync($"/api/partners?filter[project_id]={to.Int("id")}")).AssertList(total: 1);
        var inFrom = (await Viewer.GetApiAsync($"/api/partners?filter[project_id]={from.Int("id")}")).AssertList(total: 0);

        Assert.Equal([partner.Int("id")], inTo.Ids());
        Assert.Empty(inFrom);
        Assert.Equal(to.Int("id"), (await Viewer.GetApiAsync($"/api/referral-links/{link.Int("id")}")).AssertOne().Int("project_id"));
    }
}
