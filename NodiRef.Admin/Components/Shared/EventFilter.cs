using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace NodiRef.Admin.Components.Shared;

/// <summary>
/// What an event list (clicks, referrals, conversions, rewards) is filtered by, as its filter bar
/// (<see cref="EventFilterBar{TStatus}"/>) shows it. It lives in the page's URL query, so a reload or a shared
/// link shows the same rows: <c>/conversions?project=3&amp;partner=12&amp;status=pending&amp;from=2026-11-01&amp;to=2026-11-30</c>,
/// with <c>type</c> (conversions) and <c>currency</c> (rewards). A value that does not parse is ignored.
/// </summary>
/// <param name="From">The first day shown (UTC).</param>
/// <param name="To">The last day shown (UTC).</param>
/// <param name="EventType">A conversion's event type (<see cref="ConversionTypes"/>): the conversions list only.</param>
/// <param name="Currency">An ISO currency code: the rewards list only.</param>
public sealed record EventFilter<TStatus>(int? ProjectId = null, int? PartnerId = null, TStatus? Status = null,
    DateOnly? From = null, DateOnly? To = null, string? EventType = null, string? Currency = null)
    where TStatus : struct, Enum
{
    private static readonly EventFilter<TStatus> None = new();

    public bool IsEmpty => this == None;

    /// <summary>The filter written in <paramref name="uri"/>'s query; what does not parse is left out.</summary>
    public static EventFilter<TStatus> FromUri(string uri)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Value(string key) => query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

        var from = EventFilterQuery.Day(Value(EventFilterQuery.FromKey));
        var to = EventFilterQuery.Day(Value(EventFilterQuery.ToKey));
        var backwards = from > to;
        var eventType = Value(EventFilterQuery.EventTypeKey)?.ToLowerInvariant();
        return new EventFilter<TStatus>(EventFilterQuery.Id(Value(EventFilterQuery.ProjectKey)), EventFilterQuery.Id(Value(EventFilterQuery.PartnerKey)),
            EventFilterQuery.Status<TStatus>(Value(EventFilterQuery.StatusKey)), backwards ? null : from, backwards ? null : to,
            eventType is not null && ConversionTypes.All.Contains(eventType) ? eventType : null, Domain.Currency.Normalize(Value(EventFilterQuery.CurrencyKey)));
    }

    /// <summary>The current URL with this filter in its query; other query parameters stay as they are.</summary>
    public string ToUri(NavigationManager navigation) => navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        [EventFilterQuery.ProjectKey] = ProjectId,
        [EventFilterQuery.PartnerKey] = PartnerId,
        [EventFilterQuery.StatusKey] = Status?.ToString().ToLowerInvariant(),
        [EventFilterQuery.FromKey] = From?.ToString(EventFilterQuery.DayFormat, CultureInfo.InvariantCulture),
        [EventFilterQuery.ToKey] = To?.ToString(EventFilterQuery.DayFormat, CultureInfo.InvariantCulture),
        [EventFilterQuery.EventTypeKey] = EventType,
        [EventFilterQuery.CurrencyKey] = Currency,
    });
}

/// <summary>The URL query names of <see cref="EventFilter{TStatus}"/> and how their values are read.</summary>
internal static class EventFilterQuery
{
    public const string ProjectKey = "project", PartnerKey = "partner", StatusKey = "status", FromKey = "from", ToKey = "to",
        EventTypeKey = "type", CurrencyKey = "currency", DayFormat = "yyyy-MM-dd";

    internal static int? Id(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    internal static DateOnly? Day(string? value) =>
        DateOnly.TryParseExact(value, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    // By name only: Enum.TryParse would also take numbers and comma lists.
    internal static TStatus? Status<TStatus>(string? value) where TStatus : struct, Enum =>
        !string.IsNullOrEmpty(value) && value.All(char.IsAsciiLetter) && Enum.TryParse<TStatus>(value, ignoreCase: true, out var status) ? status : null;
}
