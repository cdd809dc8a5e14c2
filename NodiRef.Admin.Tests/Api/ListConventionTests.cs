using System.Net;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// The original API's list conventions on every list route: both pagination forms, their defaults
/// and bounds, and unknown names refused with a 400 that names them.
/// </summary>
public sealed class ListConventionTests(ApiFactory api) : ApiTest(api)
{
    public static TheoryData<string> ListRoutes => ["/api/projects", "/api/partners", "/api/referral-links"];

    /// <summary>Twelve partners with a common name prefix, created one second apart, oldest first.</summary>
    private async Task<(string Tag, List<int> Ids)> GivenTwelvePartnersAsync()
    {
        var tag = Unique("pg");
        var ids = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await GivenPartnerAsync($"{tag} {i:D2}")).Int("id"));
            Tick();
        }

        return (tag, ids);
    }

    [Fact]
    public async Task Defaults_are_page_1_and_10_items()
    {
        var (tag, ids) = await GivenTwelvePartnersAsync();

        var items = (await Viewer.GetApiAsync($"/api/partners?filter[name]={tag}&sort=created_at")).AssertList(page: 1, pageSize: 10, total: 12);

        Assert.Equal(ids.Take(10), items.Ids());
    }

    [Fact]
    public async Task Page_number_and_size_and_page_and_item_per_page_select_the_same_pages()
    {
        var (tag, ids) = await GivenTwelvePartnersAsync();
        var url = $"/api/partners?filter[name]={tag}&sort=created_at";

        var second = (await Viewer.GetApiAsync($"{url}&page[number]=2&page[size]=5")).AssertList(page: 2, pageSize: 5, total: 12);
        var secondAlias = (await Viewer.GetApiAsync($"{url}&page=2&item_per_page=5")).AssertList(page: 2, pageSize: 5, total: 12);
        var last = (await Viewer.GetApiAsync($"{url}&page[number]=3&page[size]=5")).AssertList(page: 3, pageSize: 5, total: 12);
        var lastAlias = (await Viewer.GetApiAsync($"{url}&page=3&item_per_page=5")).AssertList(page: 3, pageSize: 5, total: 12);
        var beyond = (await Viewer.GetApiAsync($"{url}&page=4&item_per_page=5")).AssertList(page: 4, pageSize: 5, total: 12);
        var mixed = (await Viewer.GetApiAsync($"{url}&page[number]=2&item_per_page=7")).AssertList(page: 2, pageSize: 7, total: 12);

        Assert.Equal(ids.Skip(5).Take(5), second.Ids());
        Assert.Equal(second.Ids(), secondAlias.Ids());
        Assert.Equal(ids.Skip(10), last.Ids());
        Assert.Equal(last.Ids(), lastAlias.Ids());
        Assert.Empty(beyond);
        Assert.Equal(ids.Skip(7).Take(5), mixed.Ids());
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task Page_size_100_is_the_maximum_in_both_forms(string route)
    {
        (await Viewer.GetApiAsync($"{route}?page[size]=100")).AssertList(page: 1, pageSize: 100);
        (await Viewer.GetApiAsync($"{route}?item_per_page=100")).AssertList(page: 1, pageSize: 100);

        Assert.Contains("100", (await Viewer.GetApiAsync($"{route}?page[size]=101")).AssertFieldError("page[size]"), StringComparison.Ordinal);
        Assert.Contains("100", (await Viewer.GetApiAsync($"{route}?item_per_page=101")).AssertFieldError("item_per_page"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task Pages_and_sizes_must_be_whole_numbers_from_1(string route)
    {
        foreach (var query in new[] { "page[number]=0", "page[number]=-1", "page=abc", "page=1.5", "page[size]=0", "item_per_page=-5", "item_per_page=ten", "page[number]=99999999999" })
        {
            var name = query[..query.IndexOf('=', StringComparison.Ordinal)];
            (await Viewer.GetApiAsync($"{route}?{query}")).AssertFieldError(name);
        }
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task An_unknown_filter_is_400_naming_it(string route)
    {
        var answer = await Viewer.GetApiAsync($"{route}?filter[colour]=red");

        Assert.Contains("colour", answer.AssertFieldError("filter[colour]"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task An_unknown_sort_field_is_400_naming_it_in_either_direction(string route)
    {
        Assert.Contains("colour", (await Viewer.GetApiAsync($"{route}?sort=colour")).AssertFieldError("sort"), StringComparison.Ordinal);
        Assert.Contains("colour", (await Viewer.GetApiAsync($"{route}?sort=-colour")).AssertFieldError("sort"), StringComparison.Ordinal);
        (await Viewer.GetApiAsync($"{route}?sort=created_at,-created_at")).AssertFieldError("sort");
        (await Viewer.GetApiAsync($"{route}?sort=")).AssertFieldError("sort");
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task An_unknown_include_is_400_naming_it(string route)
    {
        var answer = await Viewer.GetApiAsync($"{route}?include=colour");

        Assert.Contains("colour", answer.AssertFieldError("include"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task An_unknown_query_parameter_is_400_naming_it(string route)
    {
        var answer = await Viewer.GetApiAsync($"{route}?colour=red");
        var cased = await Viewer.GetApiAsync($"{route}?Sort=created_at");
        var jsonApiStyle = await Viewer.GetApiAsync($"{route}?page[offset]=3");

        Assert.Contains("colour", answer.AssertFieldError("colour"), StringComparison.Ordinal);
        Assert.Contains("Sort", cased.AssertFieldError("Sort"), StringComparison.Ordinal);
        Assert.Contains("page[offset]", jsonApiStyle.AssertFieldError("page[offset]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_unknown_name_in_one_request_is_reported()
    {
        var answer = await Viewer.GetApiAsync("/api/partners?filter[colour]=red&sort=colour&include=colour&colour=red&page[size]=0");

        var errors = answer.AssertProblem(HttpStatusCode.BadRequest).GetProperty("errors");
        Assert.Equal(["colour", "filter[colour]", "include", "page[size]", "sort"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Includes_are_per_resource()
    {
        (await Viewer.GetApiAsync("/api/projects?include=partners")).AssertFieldError("include");
        (await Viewer.GetApiAsync("/api/partners?include=partner")).AssertFieldError("include");
        (await Viewer.GetApiAsync("/api/referral-links?include=referral_links")).AssertFieldError("include");
        (await Viewer.GetApiAsync("/api/partners?include=projects,referral_links")).AssertList();
        (await Viewer.GetApiAsync("/api/referral-links?include=partner,project")).AssertList();
    }

    [Fact]
    public async Task Filters_and_sorts_are_per_resource()
    {
        (await Viewer.GetApiAsync("/api/projects?filter[external_id]=x")).AssertFieldError("filter[external_id]");
        (await Viewer.GetApiAsync("/api/referral-links?filter[status]=active")).AssertFieldError("filter[status]");
        (await Viewer.GetApiAsync("/api/projects?sort=code")).AssertFieldError("sort");
        (await Viewer.GetApiAsync("/api/partners?sort=code")).AssertFieldError("sort");
        (await Viewer.GetApiAsync("/api/referral-links?sort=name")).AssertFieldError("sort");
    }
}
