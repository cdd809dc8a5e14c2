using Microsoft.AspNetCore.Mvc;
using NodiRef.Admin.Api;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Rewards;

namespace NodiRef.Admin.Tests.Api;

/// <summary>A list route's filters record is its spec: names, typed values and the errors of values that do not read.</summary>
public sealed class ListFiltersTests
{
    [Fact]
    public void The_spec_is_read_from_the_record()
    {
        var partners = ListSpec.Of<PartnerFilters>();
        var rewards = ListSpec.Of<RewardFilters>();

        Assert.Equal(["external_id", "status", "project_id", "name", "search"], partners.Filters);
        Assert.Equal(["name", "external_id", "status", "created_at", "updated_at"], partners.SortNames);
        Assert.Equal(["referral_links", "projects"], partners.IncludeNames);

        // The event filters, sort field and range come from the shared base; the record adds its own.
        Assert.Equal(["currency", "date_from", "date_to", "partner_id", "project_id", "status"], rewards.Filters.Order(StringComparer.Ordinal));
        Assert.Equal(["created_at"], rewards.SortNames);
        Assert.Equal(["history"], rewards.IncludeNames);
        Assert.Empty(partners.IncludesOnly.Filters);
        Assert.Empty(partners.IncludesOnly.Sorts);
        Assert.Equal(partners.Includes, partners.IncludesOnly.Includes);
    }

    [Fact]
    public void A_record_with_a_property_that_is_not_a_filter_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ListSpec.Of<NotFilters>());

        Assert.Contains(nameof(NotFilters.Page), refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7", 7, null)]
    [InlineData("0", null, "must be a positive whole number")]
    [InlineData("-1", null, "must be a positive whole number")]
    [InlineData("1.5", null, "must be a positive whole number")]
    [InlineData("", null, "must be a positive whole number")]
    [InlineData("1,2", null, "must be a positive whole number")]
    public void A_number_filter_reads_positive_whole_numbers_only(string text, int? value, string? problem)
    {
        var filter = Read<int>(text);

        Assert.Equal(value, filter.Value);
        Assert.Equal(problem, filter.Problem);
    }

    [Theory]
    [InlineData("inactive", PartnerStatus.Inactive)]
    [InlineData(" Active ", PartnerStatus.Active)]
    [InlineData("2", null)]
    [InlineData("paused", null)]
    public void An_enum_filter_reads_the_api_names_never_numbers(string text, PartnerStatus? value)
    {
        var filter = Read<PartnerStatus>(text);

        Assert.Equal(value, filter.Value);
        Assert.Equal(value is null ? "must be one of: active, inactive" : null, filter.Problem);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("True", null)]
    [InlineData("yes", null)]
    public void A_yes_no_filter_reads_true_false_1_and_0(string text, bool? value)
    {
        var filter = Read<bool>(text);

        Assert.Equal(value, filter.Value);
        Assert.Equal(value is null, filter.Problem is not null);
    }

    [Theory]
    [InlineData("2026-03-01", true)]
    [InlineData(" 2026-03-01 ", true)]
    [InlineData("01.03.2026", false)]
    [InlineData("2026-02-30", false)]
    public void A_day_filter_reads_yyyy_mm_dd(string text, bool reads)
    {
        var filter = Read<DateOnly>(text);

        Assert.Equal(reads, filter.Value is not null);
        Assert.Equal(reads ? null : "must be a date written YYYY-MM-DD (UTC day)", filter.Problem);
    }

    [Fact]
    public void Values_that_do_not_read_are_errors_named_as_sent_and_the_rest_reach_the_query()
    {
        var filters = new RuleSetFilters { IsActive = Read<bool>("maybe"), Scope = Read<RewardScope>("project"), Name = "Spring" };
        var errors = new Validation();

        ListSpec.Of<RuleSetFilters>().CheckValues(filters, errors);
        var query = filters.ToQuery(errors);

        Assert.Equal("filter[is_active] must be true or false.", Assert.Single(errors.Errors, e => e.Key == "filter[is_active]").Value);
        Assert.Single(errors.Errors);
        Assert.Equal(new RuleSetQuery(null, RewardScope.Project, "Spring"), query);
    }

    /// <summary>Binding never fails on a filter: what does not read is kept as its problem.</summary>
    private static Filter<T> Read<T>(string text)
        where T : struct
    {
        Assert.True(Filter<T>.TryParse(text, out var filter));
        return filter;
    }

    private sealed record NotFilters : IListFilters<PartnerQuery>
    {
        [FromQuery(Name = "filter[name]")] public string? Name { get; init; }

        [FromQuery(Name = "page")] public string? Page { get; init; }

        public PartnerQuery ToQuery(Validation errors) => new(Name: Name);
    }
}
