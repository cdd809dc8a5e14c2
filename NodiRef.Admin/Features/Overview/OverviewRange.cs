using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace NodiRef.Admin.Features.Overview;

/// <summary>The ranges the overview offers; all in whole UTC days.</summary>
public enum RangePreset
{
    Today,
    Last7Days,
    Last30Days,
    Last90Days,
    ThisMonth,
    LastMonth,
    AllTime,
    Custom,
}

/// <summary>
/// The range and project an overview shows, kept in the page's URL so a view can be shared and reloaded:
/// <c>/?range=last-30-days&amp;project=3</c>, or <c>/?range=custom&amp;from=2026-11-01&amp;to=2026-11-15</c>. A value that does
/// not parse falls back to the last 30 days (and no project).
/// </summary>
public sealed record OverviewRange(RangePreset Preset, DateOnly From, DateOnly To, int? ProjectId = null)
{
    public const string RangeKey = "range", FromKey = "from", ToKey = "to", ProjectKey = "project", DayFormat = "yyyy-MM-dd";


    public static readonly IReadOnlyList<RangePreset> Presets = Enum.GetValues<RangePreset>();

    public static string Label(RangePreset preset) => preset switch
    {
        RangePreset.Today => "Today",
        RangePreset.Last7Days => "Last 7 days",
        RangePreset.Last30Days => "Last 30 days",
        RangePreset.Last90Days => "Last 90 days",
        RangePreset.ThisMonth => "This month",
        RangePreset.LastMonth => "Last month",
        RangePreset.AllTime => "All time",
        _ => "Custom",
    };

    public static string Slug(RangePreset preset) => preset switch
    {
        RangePreset.Today => "today",
        RangePreset.Last7Days => "last-7-days",
        RangePreset.Last30Days => "last-30-days",
        RangePreset.Last90Days => "last-90-days",
        RangePreset.ThisMonth => "this-month",
        RangePreset.LastMonth => "last-month",
        RangePreset.AllTime => "all-time",
        _ => "custom",
    };

    /// <summary>The days of a preset as of <paramref name="today"/> (UTC); a custom range keeps the given days.</summary>
    public static OverviewRange Of(RangePreset preset, DateOnly today, int? projectId = null, DateOnly? from = null, DateOnly? to = null)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        return preset switch
        {
            RangePreset.Today => new(preset, today, today, projectId),
            RangePreset.Last7Days => new(preset, today.AddDays(-6), today, projectId),
            RangePreset.Last90Days => new(preset, today.AddDays(-89), today, projectId),
            RangePreset.ThisMonth => new(preset, month, today, projectId),
            RangePreset.LastMonth => new(preset, month.AddMonths(-1), month.AddDays(-1), projectId),
            // As far back as one query reaches (ten years).
            RangePreset.AllTime => new(preset, today.AddDays(1 - OverviewQuery.MaxDays), today, projectId),
            RangePreset.Custom when from is { } f && to is { } t && f <= t && t.DayNumber - f.DayNumber < OverviewQuery.MaxDays => new(preset, f, t, projectId),
            _ => new(RangePreset.Last30Days, today.AddDays(-29), today, projectId),
        };
    }

    /// <summary>The range in <paramref name="uri"/>'s query, as of <paramref name="today"/>.</summary>
    public static OverviewRange FromUri(string uri, DateOnly today)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Value(string key) => query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;
        DateOnly? Day(string key) => DateOnly.TryParseExact(Value(key), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        var slug = Value(RangeKey);
        var preset = Presets.FirstOrDefault(p => Slug(p) == slug, RangePreset.Last30Days);
        var project = int.TryParse(Value(ProjectKey), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : (int?)null;
        return Of(preset, today, project, Day(FromKey), Day(ToKey));
    }

    /// <summary>The current URL with this range in its query; other parameters stay.</summary>
    public string ToUri(NavigationManager navigation) => navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        [RangeKey] = Slug(Preset),
        [FromKey] = Preset == RangePreset.Custom ? From.ToString(DayFormat, CultureInfo.InvariantCulture) : null,
        [ToKey] = Preset == RangePreset.Custom ? To.ToString(DayFormat, CultureInfo.InvariantCulture) : null,
        [ProjectKey] = ProjectId,
    });

    public OverviewQuery ToQuery(int? partnerId = null, int? linkId = null) => new(From, To, ProjectId, partnerId, linkId);

    /// <summary>How the range reads, e.g. "1 Nov 2026 – 30 Nov 2026 (UTC)".</summary>
    public string Describe() => Preset == RangePreset.AllTime
        ? $"All time (the last ten years), up to {To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} (UTC)"
        : From == To
            ? $"{From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} (UTC)"
            : $"{From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} (UTC)";
}
