using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Partners;

/// <summary>Partner search by name prefix.</summary>
public sealed class PartnerPrefixSearchTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    /// <summary>A name prefix finds names that continue with characters beyond the Basic Multilingual Plane (emoji).</summary>
    [Fact]
    public async Task Prefix_search_finds_names_continuing_with_an_emoji()
    {
        await GivenPartnerAsync("Rosa🌹 Flowers");

        var page = Ok(await App.Partners.ListAsync(new PartnerQuery(Search: "rosa"), Ct));
        var byName = Ok(await App.Partners.ListAsync(new PartnerQuery(Name: "rosa"), Ct));

        Assert.Equal(["Rosa🌹 Flowers"], page.Items.Select(p => p.Name));
        Assert.Equal(["Rosa🌹 Flowers"], byName.Items.Select(p => p.Name));
    }
}
