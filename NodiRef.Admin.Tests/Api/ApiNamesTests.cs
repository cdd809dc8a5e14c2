using NodiRef.Admin.Api;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;

namespace NodiRef.Admin.Tests.Api;

/// <summary>The services name fields by their domain names; the API answers and reads them in snake_case, in one place.</summary>
public sealed class ApiNamesTests
{
    [Theory]
    [InlineData(nameof(CreatePartnerInput.Name), "name")]
    [InlineData(nameof(CreatePartnerInput.ExternalId), "external_id")]
    [InlineData(nameof(UpdatePartnerInput.DefaultProjectId), "default_project_id")]
    [InlineData(nameof(PartnerDto.ReferralLinks), "referral_links")]
    public void A_domain_name_is_written_in_snake_case(string domain, string api) => Assert.Equal(api, ApiNames.Of(domain));

    [Fact]
    public void A_nested_field_is_written_per_segment()
    {
        Assert.Equal("Payload.Amount", ConversionPayload.Path(nameof(ConversionPayload.Amount)));
        Assert.Equal("payload.amount", ApiNames.Of(ConversionPayload.Path(nameof(ConversionPayload.Amount))));
        Assert.Equal("payload.original_event_id", ApiNames.Of(ConversionPayload.Path(nameof(ConversionPayload.OriginalEventId))));
    }

    [Fact]
    public void Fields_the_api_names_with_another_word_keep_the_api_name()
    {
        Assert.Equal("event_id", ApiNames.Of(nameof(ConversionInput.EventKey)));
        Assert.Equal("note", ApiNames.Of(nameof(Conversion.ReviewNote)));
    }

    [Fact]
    public void Errors_are_keyed_by_the_api_names()
    {
        var errors = ApiNames.Errors(new Dictionary<string, string>
        {
            [nameof(CreatePartnerInput.ExternalId)] = "taken",
            [ConversionPayload.Path(nameof(ConversionPayload.Meta))] = "not an object",
        });

        Assert.Equal(["external_id", "payload.meta"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["taken"], errors["external_id"]);
    }

    [Fact]
    public void A_sort_or_include_name_is_found_by_its_api_name_only()
    {
        string[] sorts = [nameof(Partner.Name), nameof(Partner.CreatedAt)];

        Assert.Equal(nameof(Partner.CreatedAt), ApiNames.Find(sorts, "created_at"));
        Assert.Null(ApiNames.Find(sorts, "CreatedAt"));
        Assert.Null(ApiNames.Find(sorts, "createdat"));
    }
}
