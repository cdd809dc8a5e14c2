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
public sealed record EventFilter<TStatus> where TStatus : struct, Enum
{
    private static readonly EventFilter<TStatus> None = new();

    public int? ProjectId { get; init; }

    public int? PartnerId { get; init; }

    public TStatus? Status { get; init; }

    /// <summary>The first day shown (UTC).</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last day shown (UTC).</summary>
    public DateOnly? To { get; init; }

    /// <summary>A conversion's event type (<see cref="ConversionTypes"/>); the conversions list only.</summary>
    public string? EventType { get; init; }

    /// <summary>An ISO currency code; the rewards list only.</summary>
    public string? Currency { get; init; }

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
        return new EventFilter<TStatus>
        {
            ProjectId = EventFilterQuery.Id(Value(EventFilterQuery.ProjectKey)),
            PartnerId = EventFilterQuery.Id(Value(EventFilterQuery.PartnerKey)),
            Status = EventFilterQuery.Status<TStatus>(Value(EventFilterQuery.StatusKey)),
            From = backwards ? null : from,
            To = backwards ? null : to,
            EventType = eventType is not null && ConversionTypes.All.Contains(eventType) ? eventType : null,
            Currency = Domain.Currency.Normalize(Value(EventFilterQuery.CurrencyKey)),
        };
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
public static class EventFilterQuery
{
    public const string ProjectKey = "project";
    public const string PartnerKey = "partner";
    public const string StatusKey = "status";
    public const string FromKey = "from";
    public const string ToKey = "to";
    public const string EventTypeKey = "type";
    public const string CurrencyKey = "currency";
    public const string DayFormat = "yyyy-MM-dd";

    internal static int? Id(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    internal static DateOnly? Day(string? value) =>
        DateOnly.TryParseExact(value, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    // By name only: Enum.TryParse would also take numbers and comma lists.
    internal static TStatus? Status<TStatus>(string? value) where TStatus : struct, Enum =>
        !string.IsNullOrEmpty(value) && value.All(char.IsAsciiLetter) && Enum.TryParse<TStatus>(value, ignoreCase: true, out var status) ? status : null;
}
