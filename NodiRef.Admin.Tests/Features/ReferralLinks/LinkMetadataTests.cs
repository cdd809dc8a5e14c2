using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.ReferralLinks;

/// <summary>A link's metadata, as stored.</summary>
public sealed class LinkMetadataTests : ServiceTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    /// <summary>Metadata is stored as typed: non-ASCII text is not escaped.</summary>
    [Fact]
    public async Task Metadata_keeps_non_ascii_text_as_typed()
    {
        var partner = await GivenPartnerAsync("Owner");

        var link = Ok(await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "meta-utf8", Metadata: "{\"city\": \"Zürich\", \"note\": \"<b>café</b>\"}"), Ct));

        Assert.Equal("{\"city\":\"Zürich\",\"note\":\"<b>café</b>\"}", link.Metadata);
    }

    /// <summary>Stored metadata never exceeds its column, whatever its characters: it is bounded as stored, not as typed.</summary>
    [Fact]
    public async Task Stored_metadata_never_exceeds_its_maximum_length()
    {
        var partner = await GivenPartnerAsync("Owner");
        var metadata = "{\"note\":\"" + new string('é', 3000) + "\"}"; // 3,011 characters as typed

        var result = await App.Links.CreateAsync(new CreateLinkInput(partner.Id, "meta-long", Metadata: metadata), Ct);

        if (result.Succeeded)
        {
            await using var db = App.Database.CreateContext();
            var stored = await db.ReferralLinks.AsNoTracking().SingleAsync(Ct);
            Assert.True(stored.Metadata!.Length <= ReferralLink.MetadataMaxLength, $"Stored metadata is {stored.Metadata.Length} characters; the column allows {ReferralLink.MetadataMaxLength}.");
        }
        else
        {
            InvalidOn(result, nameof(CreateLinkInput.Metadata));
        }
    }
}
