using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Partners;

public sealed class PartnerListTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Viewer);
    }

    /// <summary>
    /// A partner whose generated link code is spelt from letters no search here contains: a random code could hold
    /// any term of three characters (or begin with the one of one), and the search would rightly find it.
    /// </summary>
    private async Task<PartnerRow> GivenPlainPartnerAsync(string name, string? externalId = null)
    {
        var partner = await GivenPartnerAsync(name, externalId);
        await using var db = App.Database.CreateContext();
        foreach (var link in await db.ReferralLinks.Where(l => l.PartnerId == partner.Id).ToListAsync(Ct))
        {
            link.Code = "zz" + string.Concat(link.Id.ToString(CultureInfo.InvariantCulture).Select(d => "fghjkwnvwz"[d - '0']));
            link.CodeKey = ReferralCode.ToKey(link.Code);
        }

        await db.SaveChangesAsync(Ct);
        return partner;
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
            rows.Add(await GivenPlainPartnerAsync(name));
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
    public async Task Search_finds_a_part_of_a_word_anywhere_in_a_name_case_insensitively()
    {
        await GivenPartnersAsync("Alice Cooper", "alicia keys", "Bob Alison", "ÉMILE Zola", "Grady Lee");

        Assert.Equal(["Bob Alison", "alicia keys", "Alice Cooper"], await NamesAsync(new PartnerQuery(Search: "ALI")));
        Assert.Equal(["Bob Alison", "alicia keys", "Alice Cooper"], await NamesAsync(new PartnerQuery(Search: "  ali ")));
        Assert.Equal(["ÉMILE Zola"], await NamesAsync(new PartnerQuery(Search: "émile")));
        Assert.Equal(["ÉMILE Zola"], await NamesAsync(new PartnerQuery(Search: "MILE")));
        Assert.Equal(["Alice Cooper"], await NamesAsync(new PartnerQuery(Search: "lice")));
        Assert.Equal(["Grady Lee"], await NamesAsync(new PartnerQuery(Search: "ady")));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "alix")));
    }

    [Fact]
    public async Task One_or_two_letters_find_the_names_and_external_ids_they_begin_counted_once()
    {
        await GivenPartnersAsync("Alice Cooper", "Bob Alison");
        await GivenPlainPartnerAsync("Carl", "al-7");
        await GivenPlainPartnerAsync("Alan", "al-8");
        var coded = await GivenPlainPartnerAsync("Dora");
        await GivenLinkAsync(coded.Id, "AL-CODE");

        var al = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "al"), Ct));
        Assert.Equal(["Alan", "Carl", "Alice Cooper"], al.Items.Select(p => p.Name));
        Assert.Equal(3, al.Total);
        Assert.Equal(["Bob Alison"], await NamesAsync(new PartnerQuery(Search: "b")));
        Assert.Equal(["Dora"], await NamesAsync(new PartnerQuery(Search: "al-c")));
    }

    [Fact]
    public async Task Search_follows_renames_new_ids_and_deleted_links_and_partners()
    {
        var partner = await GivenPlainPartnerAsync("Original Name", "first-id");
        var link = await GivenLinkAsync(partner.Id, "SpringDeal");
        App.ActAs(Roles.Admin);

        var renamed = Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Quite New", "second-id", PartnerStatus.Active, null), partner.Version, Ct));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "original")));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "first-id")));
        Assert.Equal(["Quite New"], await NamesAsync(new PartnerQuery(Search: "ite ne")));
        Assert.Equal(["Quite New"], await NamesAsync(new PartnerQuery(Search: "cond-i")));
        Assert.Equal(["Quite New"], await NamesAsync(new PartnerQuery(Search: "ingdea")));

        Ok(await App.Get<ReferralLinkService>().DeleteAsync(link.Id, link.Version, Ct));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "ingdea")));

        Ok(await App.Partners.DeleteAsync(partner.Id, renamed.Partner.Version, Ct));
        Assert.Empty(await NamesAsync(new PartnerQuery(Search: "ite ne")));
    }

    [Fact]
    public async Task Search_takes_wildcards_and_quotes_literally()
    {
        await GivenPlainPartnerAsync("100% Deals", "ext_1");
        await GivenPlainPartnerAsync("1000 Deals", "ext-1");
        await GivenPlainPartnerAsync("The \"Quote\" Shop", "q\\1");

        Assert.Equal(["100% Deals"], await NamesAsync(new PartnerQuery(Search: "0% d")));
        Assert.Equal(["100% Deals"], await NamesAsync(new PartnerQuery(Search: "ext_")));
        Assert.Equal(["The \"Quote\" Shop"], await NamesAsync(new PartnerQuery(Search: "\"quote\"")));
        Assert.Equal(["The \"Quote\" Shop"], await NamesAsync(new PartnerQuery(Search: "q\\1")));
    }

    [Fact]
    public async Task Search_finds_a_part_of_an_external_id_such_as_an_email_domain()
    {
        await GivenPlainPartnerAsync("First", "crm-100");
        await GivenPlainPartnerAsync("Second", "crm-200");
        await GivenPlainPartnerAsync("Third", "other-100");
        await GivenPlainPartnerAsync("Fourth", "Ann@Example.com");
        await GivenPlainPartnerAsync("Fifth", "bo@example.org");

        Assert.Equal(["First"], await NamesAsync(new PartnerQuery(Search: "crm-1")));
        Assert.Equal(2, Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "crm-"), Ct)).Total);
        Assert.Equal(["Third", "First"], await NamesAsync(new PartnerQuery(Search: "100")));
        Assert.Equal(["Fourth"], await NamesAsync(new PartnerQuery(Search: "example.com")));
    }

    [Fact]
    public async Task Search_finds_a_part_of_a_referral_code_case_insensitively()
    {
        var partner = await GivenPlainPartnerAsync("Code Owner");
        await GivenLinkAsync(partner.Id, "SummerSale");
        var other = await GivenPlainPartnerAsync("Someone Else");
        await GivenLinkAsync(other.Id, "WinterSale");

        Assert.Equal(["Code Owner"], await NamesAsync(new PartnerQuery(Search: "summ")));
        Assert.Equal(["Code Owner"], await NamesAsync(new PartnerQuery(Search: "SUMMERSALE")));
        Assert.Equal(["Someone Else", "Code Owner"], await NamesAsync(new PartnerQuery(Search: "sale")));
        Assert.Equal(["Someone Else"], await NamesAsync(new PartnerQuery(Search: "tersa")));
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
