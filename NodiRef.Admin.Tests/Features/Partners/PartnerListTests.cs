using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Partners;

public sealed class PartnerListTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Viewer);
    }

    private async Task<List<string>> NamesAsync(PartnerQuery query)
    {
        var page = Ok(await App.Partners.ListAsync(query, Ct));
        return page.Items.Select(p => p.Name).ToList();
    }

    /// <summary>Creates partners one minute apart, so their creation order is unambiguous.</summary>
    private async Task<List<PartnerRow>> GivenPartnersAsync(params string[] names)
    {
        var rows = new List<PartnerRow>();
        foreach (var name in names)
        {
            rows.Add(await GivenPartnerAsync(name));
            App.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        return rows;
    }

    [Fact]
    public async Task Filters_by_status()
    {
        await GivenPartnerAsync("Active One");
        await GivenPartnerAsync("Inactive One", status: PartnerStatus.Inactive);
        await GivenPartnerAsync("Active Two");

        Assert.Equal(["Inactive One"], await NamesAsync(new PartnerQuery(Status: PartnerStatus.Inactive)));
        var active = Ok(await App.Partners.ListAsync(new PartnerQuery(Status: PartnerStatus.Active), Ct));
        Assert.Equal(2, active.Total);
        Assert.All(active.Items, p => Assert.Equal(PartnerStatus.Active, p.Status));
    }

    [Fact]
    public async Task Filters_by_project_through_the_default_project_or_any_link()
    {
        var a = await GivenProjectAsync("Alpha");
        var b = await GivenProjectAsync("Bravo");
        await GivenPartnerAsync("By default", projectId: a.Id);
        var byLink = await GivenPartnerAsync("By link");
        await GivenLinkAsync(byLink.Id, "bylink", a.Id);
        await GivenPartnerAsync("Elsewhere", projectId: b.Id);
        await GivenPartnerAsync("Nowhere");
        var both = await GivenPartnerAsync("Both ways", projectId: a.Id);
        await GivenLinkAsync(both.Id, "both-a", a.Id);

        var inA = Ok(await App.Partners.ListAsync(new PartnerQuery(ProjectId: a.Id) { Sort = new SortSpec(nameof(Partner.Name), false) }, Ct));

        Assert.Equal(3, inA.Total);
        Assert.Equal(["Both ways", "By default", "By link"], inA.Items.Select(p => p.Name));
    }

    [Fact]
    public async Task Search_matches_a_name_prefix_case_insensitively()
    {
        await GivenPartnersAsync("Alice Cooper", "alicia keys", "Bob Alison", "ÉMILE Zola");

        Assert.Equal(["alicia keys", "Alice Cooper"], await NamesAsync(new PartnerQuery(Search: "ALI")));
        Assert.Equal(["alicia keys", "Alice Cooper"], await NamesAsync(new PartnerQuery(Search: "  ali ")));
        Assert.Equal(["ÉMILE Zola"], await NamesAsync(new PartnerQuery(Search: "émile")));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "lice"))); // a prefix search, not a substring one
    }

    [Fact]
    public async Task Search_matches_an_external_id_prefix()
    {
        await GivenPartnerAsync("First", "crm-100");
        await GivenPartnerAsync("Second", "crm-200");
        await GivenPartnerAsync("Third", "other-100");

        Assert.Equal(["First"], await NamesAsync(new PartnerQuery(Search: "crm-1")));
        Assert.Equal(2, Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "crm-"), Ct)).Total);
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "100")));
    }

    [Fact]
    public async Task Search_matches_a_referral_code_prefix_case_insensitively()
    {
        var partner = await GivenPartnerAsync("Code Owner");
        await GivenLinkAsync(partner.Id, "SummerSale");
        var other = await GivenPartnerAsync("Someone Else");
        await GivenLinkAsync(other.Id, "WinterSale");

        Assert.Equal(["Code Owner"], await NamesAsync(new PartnerQuery(Search: "summ")));
        Assert.Equal(["Code Owner"], await NamesAsync(new PartnerQuery(Search: "SUMMERSALE")));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "sale")));
    }

    [Fact]
    public async Task A_partner_matching_several_ways_is_listed_once()
    {
        var partner = await GivenPartnerAsync("Delta", "delta-1");
        await GivenLinkAsync(partner.Id, "delta-code");
        await GivenLinkAsync(partner.Id, "delta-code-2");

        var page = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "delta"), Ct));

        Assert.Equal(1, page.Total);
        Assert.Equal(["Delta"], page.Items.Select(p => p.Name));
    }

    [Fact]
    public async Task Name_and_external_id_filters_combine_with_the_others()
    {
        await GivenPartnerAsync("Alpha Partner", "a-1");
        await GivenPartnerAsync("Alpha Other", "a-2", status: PartnerStatus.Inactive);
        await GivenPartnerAsync("Beta", "b-1");

        Assert.Equal(["Alpha Partner"], await NamesAsync(new PartnerQuery(Name: "alpha", Status: PartnerStatus.Active)));
        Assert.Equal(["Alpha Other"], await NamesAsync(new PartnerQuery(ExternalId: " a-2 ")));
        Assert.Empty(await NamesAsync(new PartnerQuery(ExternalId: "a-")));
    }

    [Fact]
    public async Task Pages_split_the_rows_and_total_counts_all_matches()
    {
        var all = await GivenPartnersAsync("p1", "p2", "p3", "p4", "p5", "p6", "p7");
        var pages = new List<Page<PartnerRow>>();
        for (var i = 0; i < 4; i++)
        {
            pages.Add(Ok(await App.Partners.ListAsync(new PartnerQuery { PageIndex = i, PageSize = 3 }, Ct)));
        }

        Assert.All(pages, p => Assert.Equal(7, p.Total));
        Assert.Equal([3, 3, 1, 0], pages.Select(p => p.Items.Count));
        Assert.Equal(
            all.Select(p => p.Id).Order(),
            pages.SelectMany(p => p.Items).Select(p => p.Id).Order());
    }

    [Fact]
    public async Task Page_size_is_clamped_between_one_and_the_maximum()
    {
        await GivenPartnersAsync("first", "second", "third");

        var tiny = Ok(await App.Partners.ListAsync(new PartnerQuery { PageSize = 0 }, Ct));
        var negativePage = Ok(await App.Partners.ListAsync(new PartnerQuery { PageIndex = -3, PageSize = 2 }, Ct));

        Assert.Equal(["third"], tiny.Items.Select(p => p.Name));
        Assert.Equal(3, tiny.Total);
        Assert.Equal(["third", "second"], negativePage.Items.Select(p => p.Name));
        Assert.Equal(PageRequest.MaxPageSize, new PartnerQuery { PageSize = 100_000 }.Take);
    }

    [Fact]
    public async Task Total_counts_only_the_filtered_rows()
    {
        await GivenPartnersAsync("keep 1", "keep 2", "drop 1", "keep 3", "drop 2");

        var page = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "keep") { PageSize = 2 }, Ct));

        Assert.Equal(3, page.Total);
        Assert.Equal(2, page.Items.Count);
    }

    [Fact]
    public async Task Sorts_by_name_ascending_and_descending_ignoring_case()
    {
        await GivenPartnersAsync("charlie", "Alpha", "bravo", "Delta");

        Assert.Equal(["Alpha", "bravo", "charlie", "Delta"], await NamesAsync(new PartnerQuery { Sort = new SortSpec(nameof(Partner.Name), false) }));
        Assert.Equal(["Delta", "charlie", "bravo", "Alpha"], await NamesAsync(new PartnerQuery { Sort = new SortSpec(nameof(Partner.Name), true) }));
    }

    [Fact]
    public async Task Default_order_is_newest_first_and_created_at_can_be_sorted_ascending()
    {
        await GivenPartnersAsync("oldest", "middle", "newest");

        Assert.Equal(["newest", "middle", "oldest"], await NamesAsync(new PartnerQuery()));
        Assert.Equal(["oldest", "middle", "newest"], await NamesAsync(new PartnerQuery { Sort = new SortSpec(nameof(Partner.CreatedAt), false) }));
        Assert.Equal(["newest", "middle", "oldest"], await NamesAsync(new PartnerQuery { Sort = new SortSpec(nameof(Partner.CreatedAt), true) }));
    }

    [Fact]
    public async Task Partners_created_at_the_same_instant_keep_a_stable_newest_first_order()
    {
        // The clock does not move: the id breaks the tie.
        await GivenPartnerAsync("first");
        await GivenPartnerAsync("second");
        await GivenPartnerAsync("third");

        Assert.Equal(["third", "second", "first"], await NamesAsync(new PartnerQuery()));
    }

    [Fact]
    public async Task Rows_carry_link_counts_and_projects()
    {
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Linked", projectId: project.Id);
        await GivenLinkAsync(partner.Id, "extra-1");
        await GivenPartnerAsync("Unlinked");

        var rows = Ok(await App.Partners.ListAsync(new PartnerQuery { Sort = new SortSpec(nameof(Partner.Name), false) }, Ct)).Items;

        Assert.Equal(2, rows[0].LinkCount);
        Assert.Equal([new ProjectRef(project.Id, "Shop")], rows[0].Projects);
        Assert.Equal(0, rows[1].LinkCount);
        Assert.Empty(rows[1].Projects);
    }

    [Fact]
    public async Task Gets_a_partner_by_external_id()
    {
        var partner = await GivenPartnerAsync("External", "user-7@example.com");
        await GivenPartnerAsync("Another", "user-8@example.com");

        var found = Ok(await App.Partners.GetByExternalIdAsync(" user-7@example.com ", Ct));
        var missing = await App.Partners.GetByExternalIdAsync("user-9@example.com", Ct);

        Assert.Equal(partner.Id, found.Partner.Id);
        Assert.Equal("External", found.Partner.Name);
        Assert.Equal(ResultStatus.NotFound, missing.Status);
        Assert.Contains("user-9@example.com", missing.Message);
    }

    [Fact]
    public async Task Get_of_a_missing_partner_is_not_found()
    {
        var result = await App.Partners.GetAsync(987, Ct);

        Assert.Equal(ResultStatus.NotFound, result.Status);
        Assert.Null(result.Value);
    }
}
