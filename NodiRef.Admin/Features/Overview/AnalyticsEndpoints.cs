using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Features.Overview;

/// <summary>
/// The query of <c>GET /api/analytics</c>. Every value is read here and reported by name when it does not read
/// (<c>filter[date_from] must be a date written YYYY-MM-DD (UTC day)</c>).
/// </summary>
public sealed record AnalyticsFilters
{
    public static readonly string[] Names =
        ["filter[date_from]", "filter[date_to]", "filter[project_id]", "filter[partner_id]", "filter[link_id]", "group_by", "order_by", "currency", "limit"];

    [FromQuery(Name = "filter[date_from]")] public Filter<DateOnly>? DateFrom { get; init; }

    [FromQuery(Name = "filter[date_to]")] public Filter<DateOnly>? DateTo { get; init; }

    [FromQuery(Name = "filter[project_id]")] public Filter<int>? ProjectId { get; init; }

    [FromQuery(Name = "filter[partner_id]")] public Filter<int>? PartnerId { get; init; }

    [FromQuery(Name = "filter[link_id]")] public Filter<int>? LinkId { get; init; }

    /// <summary>day (the default), hour, partner, link, project or event.</summary>
    [FromQuery(Name = "group_by")] public Filter<AnalyticsGrouping>? GroupBy { get; init; }

    /// <summary>For partner, link and project groups: revenue (the default), conversions or clicks.</summary>
    [FromQuery(Name = "order_by")] public Filter<LeaderboardMetric>? OrderBy { get; init; }

    /// <summary>The currency revenue is ranked in (order_by=revenue); the range's most used one by default.</summary>
    [FromQuery(Name = "currency")] public string? Currency { get; init; }

    /// <summary>For partner, link and project groups: how many (1 to 100, 10 by default).</summary>
    [FromQuery(Name = "limit")] public Filter<int>? Limit { get; init; }

    /// <summary>The service's query; the range defaults to the last 30 days up to today (UTC).</summary>
    public AnalyticsQuery ToQuery(DateOnly today)
    {
        var to = DateTo?.Value ?? (DateFrom?.Value is { } from && from > today ? from : today);
        var start = DateFrom?.Value ?? to.AddDays(-29);
        return new AnalyticsQuery(new OverviewQuery(start, to, ProjectId?.Value, PartnerId?.Value, LinkId?.Value),
            GroupBy?.Value ?? AnalyticsGrouping.Day, OrderBy?.Value ?? LeaderboardMetric.Revenue, Currency, Limit?.Value ?? 10);
    }

    /// <summary>Values that did not read and names the route does not take, by name.</summary>
    public Dictionary<string, string> Problems(IQueryCollection query)
    {
        var errors = new Dictionary<string, string>();
        foreach (var key in query.Keys.Where(k => !Names.Contains(k, StringComparer.Ordinal)))
        {
            errors[key] = $"Unknown query parameter \"{key}\". This route takes {string.Join(", ", Names)}.";
        }

        void Check(string name, IFilterValue? value)
        {
            if (value?.Problem is { } problem)
            {
                errors[name] = $"{name} {problem}.";
            }
        }

        Check("filter[date_from]", DateFrom);
        Check("filter[date_to]", DateTo);
        Check("filter[project_id]", ProjectId);
        Check("filter[partner_id]", PartnerId);
        Check("filter[link_id]", LinkId);
        Check("group_by", GroupBy);
        Check("order_by", OrderBy);
        Check("limit", Limit);
        return errors;
    }
}

public sealed record MoneyDto(string Currency, decimal Amount)
{
    public static IReadOnlyList<MoneyDto> From(IReadOnlyList<Money> amounts) => amounts.Select(m => new MoneyDto(m.Currency, m.Amount)).ToList();
}

/// <summary>A period's figures; rates are fractions (0.125 is 12.5 %), null without a denominator.</summary>
public sealed record AnalyticsTotalsDto(
    long Clicks,
    long Referrals,
    decimal? ClickToReferralRate,
    long Conversions,
    decimal? ConversionRate,
    long WaitingForReview,
    IReadOnlyList<MoneyDto> Revenue,
    IReadOnlyList<MoneyDto> Refunded,
    IReadOnlyList<MoneyDto> RewardsEarned,
    IReadOnlyList<MoneyDto> RewardsOwed,
    IReadOnlyList<MoneyDto> RewardsPaid)
{
    public static AnalyticsTotalsDto From(OverviewTotals t) => new(t.Clicks, t.Referrals, t.ClickToReferralRate, t.Conversions, t.ConversionRate, t.WaitingForReview,
        MoneyDto.From(t.Revenue), MoneyDto.From(t.Refunded), MoneyDto.From(t.RewardsEarned), MoneyDto.From(t.RewardsOwed), MoneyDto.From(t.RewardsPaid));
}

public sealed record AnalyticsGroupDto(string Key, string? Name, long Clicks, long Referrals, long Conversions, IReadOnlyList<MoneyDto> Revenue, IReadOnlyList<MoneyDto> RewardsEarned);

/// <summary>The answer of <c>GET /api/analytics</c>.</summary>
public sealed record AnalyticsDto(
    DateOnly DateFrom,
    DateOnly DateTo,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    AnalyticsGrouping GroupBy,
    AnalyticsTotalsDto Totals,
    AnalyticsTotalsDto Previous,
    IReadOnlyList<AnalyticsGroupDto> Groups)
{
    public static AnalyticsDto From(Analytics a) => new(a.Range.From, a.Range.To, a.Range.Previous.From, a.Range.Previous.To, a.GroupBy,
        AnalyticsTotalsDto.From(a.Totals), AnalyticsTotalsDto.From(a.Previous),
        a.Groups.Select(g => new AnalyticsGroupDto(g.Key, g.Name, g.Clicks, g.Referrals, g.Conversions, MoneyDto.From(g.Revenue), MoneyDto.From(g.RewardsEarned))).ToList());
}

/// <summary><c>GET /api/analytics</c>: the overview's figures for any range, project, partner or link, grouped. The dashboard reads the same service.</summary>
public static class AnalyticsEndpoints
{
    public static void MapAnalyticsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics", GetAsync).WithTags("Analytics").WithName("GetAnalytics")
            .WithSummary("The program's figures for a range of UTC days (default: the last 30), with the previous period of the same length")
            .WithDescription("""
                Totals from the rollups the writers keep (exact; clicks of the last second are counted from the click log).
                Filters: `filter[date_from]`, `filter[date_to]` (YYYY-MM-DD, UTC, inclusive; at most 3,660 days), `filter[project_id]`, `filter[partner_id]`, `filter[link_id]`.
                `group_by`: `day` (default), `hour` (ranges of up to 7 days), `partner`, `link` or `project` (the top `limit`, 1-100, by `order_by`: `revenue` in one `currency`, `conversions` or `clicks`), or `event` (clicks, referrals, and accepted conversions per event type).
                Money is per currency, never summed across currencies. Examples:
                `GET /api/analytics?filter[date_from]=2026-11-01&filter[date_to]=2026-11-30&group_by=day`,
                `GET /api/analytics?filter[project_id]=3&group_by=partner&order_by=conversions&limit=5`.
                """)
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<ApiOne<AnalyticsDto>>, ProblemHttpResult>> GetAsync(
        [AsParameters] AnalyticsFilters filters, HttpContext http, OverviewService service, TimeProvider clock, CancellationToken ct)
    {
        var problems = filters.Problems(http.Request.Query);
        if (problems.Count > 0)
        {
            return ApiResponses.ValidationProblem(problems);
        }

        var result = await service.AnalyticsAsync(filters.ToQuery(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), ct);
        if (result.Status == ResultStatus.Invalid)
        {
            // The service names its query's fields; the answer names the query parameters they came from.
            return ApiResponses.ValidationProblem(result.Errors.ToDictionary(e => QueryNames.GetValueOrDefault(e.Key, ApiNames.Of(e.Key)), e => e.Value));
        }

        return result.Succeeded ? ApiResponses.One(AnalyticsDto.From(result.Value!)) : ApiResponses.Problem(result);
    }

    private static readonly Dictionary<string, string> QueryNames = new(StringComparer.Ordinal)
    {
        [nameof(OverviewQuery.From)] = "filter[date_from]",
        [nameof(OverviewQuery.To)] = "filter[date_to]",
        [nameof(OverviewQuery.ProjectId)] = "filter[project_id]",
        [nameof(OverviewQuery.PartnerId)] = "filter[partner_id]",
        [nameof(OverviewQuery.LinkId)] = "filter[link_id]",
        [nameof(AnalyticsQuery.GroupBy)] = "group_by",
        [nameof(LeaderboardQuery.Metric)] = "order_by",
        [nameof(LeaderboardQuery.Take)] = "limit",
        [nameof(LeaderboardQuery.Currency)] = "currency",
    };
}
