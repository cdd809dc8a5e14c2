using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

public sealed class PartnersGridTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task Search_and_the_status_and_project_filters_narrow_the_grid()
    {
        var prefix = "Grove " + Unique.Id();
        var project = await Suite.GivenProjectAsync("Orchard " + Unique.Id());
        var amber = await Suite.GivenPartnerAsync($"{prefix} Amber", projectId: project.Id);
        await Suite.GivenPartnerAsync($"{prefix} Birch", projectId: project.Id, status: PartnerStatus.Inactive);
        await Suite.GivenPartnerAsync($"{prefix} Cedar");
        var outsider = await Suite.GivenPartnerAsync("Outsider " + Unique.Id(), projectId: project.Id);
        var amberCode = (await Suite.LinksAsync(amber.Partner.Id)).Single().Code;
        var page = await NewPageAsync();
        await OpenAsync(page, "partners");
        var names = Rows(page).Locator("td[data-label='Name']");

        await page.GetByLabel("Search").FillAsync(prefix);
        await Expect(names).ToHaveTextAsync([$"{prefix} Cedar", $"{prefix} Birch", $"{prefix} Amber"]);

        await ChooseAsync(Select(page, "Status"), "Inactive");
        await Expect(names).ToHaveTextAsync([$"{prefix} Birch"]);
        await ChooseAsync(Select(page, "Status"), "Active");
        await Expect(names).ToHaveTextAsync([$"{prefix} Cedar", $"{prefix} Amber"]);
        await ChooseAsync(Select(page, "Status"), "All statuses");

        await ChooseAsync(Select(page, "Project"), project.Name);
        await Expect(names).ToHaveTextAsync([$"{prefix} Birch", $"{prefix} Amber"]);

        await page.GetByLabel("Search").FillAsync("");
        await Expect(names).ToHaveTextAsync([outsider.Partner.Name, $"{prefix} Birch", $"{prefix} Amber"]);

        // The search also finds a partner by one of its referral codes.
        await page.GetByLabel("Search").FillAsync(amberCode);
        await Expect(names).ToHaveTextAsync([$"{prefix} Amber"]);

        await page.GetByLabel("Search").FillAsync(prefix + " nobody");
        await Expect(Rows(page)).ToHaveCountAsync(0);
        await Expect(page.GetByText("No partner matches these filters.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task More_than_a_page_of_partners_is_paged_25_at_a_time()
    {
        var prefix = "Pager " + Unique.Id();
        for (var i = 1; i <= 30; i++)
        {
            await Suite.GivenPartnerAsync($"{prefix} {i:00}", externalId: $"{prefix.Replace(' ', '_')}_{i:00}");
        }

        var page = await NewPageAsync();
        await OpenAsync(page, "partners");
        await page.GetByLabel("Search").FillAsync(prefix);

        await Expect(page.GetByText("1-25 of 30", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(25);
        await Expect(Rows(page).First).ToContainTextAsync($"{prefix} 30");

        await Button(page, "Next page").ClickAsync();

        await Expect(page.GetByText("26-30 of 30", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Rows(page).Locator("td[data-label='Name']")).ToHaveTextAsync([$"{prefix} 05", $"{prefix} 04", $"{prefix} 03", $"{prefix} 02", $"{prefix} 01"]);
        await Expect(Button(page, "Next page")).ToBeDisabledAsync();

        await Button(page, "Previous page").ClickAsync();
        await Expect(page.GetByText("1-25 of 30", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(25);
    }

    [Fact]
    public async Task Clicking_the_Name_header_sorts_by_name_both_ways()
    {
        var prefix = "Sorted " + Unique.Id();
        foreach (var name in new[] { "Charlie", "Alpha", "Bravo" })
        {
            await Suite.GivenPartnerAsync($"{prefix} {name}");
        }

        var page = await NewPageAsync();
        await OpenAsync(page, "partners");
        await page.GetByLabel("Search").FillAsync(prefix);
        var names = Rows(page).Locator("td[data-label='Name']");
        // Newest first until a column is chosen.
        await Expect(names).ToHaveTextAsync([$"{prefix} Bravo", $"{prefix} Alpha", $"{prefix} Charlie"]);

        var nameHeader = page.Locator("thead").GetByText("Name", new() { Exact = true });
        await nameHeader.ClickAsync();
        await Expect(names).ToHaveTextAsync([$"{prefix} Alpha", $"{prefix} Bravo", $"{prefix} Charlie"]);

        await nameHeader.ClickAsync();
        await Expect(names).ToHaveTextAsync([$"{prefix} Charlie", $"{prefix} Bravo", $"{prefix} Alpha"]);
    }

    [Fact]
    public async Task Deactivating_a_partner_in_the_grid_Status_cell_makes_it_inactive()
    {
        var partner = (await Suite.GivenPartnerAsync("Dormant " + Unique.Id(), "dormant_" + Unique.Id())).Partner;
        var page = await NewPageAsync();
        await OpenAsync(page, "partners");
        await page.GetByLabel("Search").FillAsync(partner.ExternalId!);
        // Wait for the search to apply: a row that is re-rendered under the pointer loses the click.
        await Expect(Rows(page)).ToHaveCountAsync(1);
        var status = Select(Row(page, partner.Name), $"Status of {partner.Name}");
        await ExpectSelectedAsync(status, "Active");

        await ChooseAsync(status, "Inactive");

        await Expect(Snackbar(page)).ToContainTextAsync($"{partner.Name} is now inactive.");
        await ExpectSelectedAsync(status, "Inactive");
        Assert.Equal(PartnerStatus.Inactive, (await Suite.PartnerAsync(partner.Id)).Partner.Status);

        await ChooseAsync(Select(page, "Status"), "Inactive");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, partner.Name)).ToBeVisibleAsync();

        await OpenAsync(page, $"partners/{partner.Id}");
        await Expect(Heading(page, partner.Name)).ToBeVisibleAsync();
        await Expect(page.Locator(".page-header .mud-chip").First).ToHaveTextAsync("Inactive");
        await Expect(Button(page, "Activate")).ToBeVisibleAsync();
        await Expect(Button(page, "Deactivate")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_deactivated_partners_link_still_redirects_and_its_click_shows_as_discarded()
    {
        var project = await Suite.GivenProjectAsync("Lapsed " + Unique.Id());
        var partner = (await Suite.GivenPartnerAsync("Lapsed " + Unique.Id(), "lapsed_" + Unique.Id(), project.Id)).Partner;
        var code = (await Suite.LinksAsync(partner.Id)).Single().Code;
        var page = await NewPageAsync();
        await OpenAsync(page, "partners");
        await page.GetByLabel("Search").FillAsync(partner.ExternalId!);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await ChooseAsync(Select(Row(page, partner.Name), $"Status of {partner.Name}"), "Inactive");
        await Expect(Snackbar(page)).ToContainTextAsync($"{partner.Name} is now inactive.");

        // The visitor is still sent on to the project's landing page, with the tracking id.
        using var visitor = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Suite.App.BaseUri };
        var hit = await visitor.GetAsync($"r/{code}", Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, hit.StatusCode);
        Assert.StartsWith(project.LandingUrl, hit.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains($"ref={code}", hit.Headers.Location.ToString(), StringComparison.Ordinal);

        // The click is on the Clicks page, discarded, and the partner's totals do not count it.
        await OpenAsync(page, "clicks");
        var row = Rows(page).Filter(new() { HasText = code });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Discarded: Partner inactive");
        await OpenAsync(page, $"partners/{partner.Id}");
        await Expect(page.GetByTestId("partner-clicks")).ToContainTextAsync("0");
        await Expect(page.GetByTestId("partner-clicks")).ToContainTextAsync("+1 discarded, not counted");
    }
}
