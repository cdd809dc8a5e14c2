using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Features.Common;

public static class DateFilter
{
    /// <summary>Keeps rows created on the UTC days from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public static IQueryable<T> Apply<T>(IQueryable<T> q, DateOnly? from, DateOnly? to)
        where T : class, ITimestamped
    {
        if (from is { } f)
        {
            var start = f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.CreatedAt >= start);
        }

        if (to is { } t)
        {
            var end = t.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.CreatedAt < end);
        }

        return q;
    }
}
