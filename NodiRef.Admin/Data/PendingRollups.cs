using System.Buffers;
using System.Text.Json;

namespace NodiRef.Admin.Data;

/// <summary>
/// The rollup increments of the clicks one <see cref="ClickStore"/> wrote after the rollup mark, counted as it
/// wrote them: where the rollups trail the clicks, the next rollup adds these instead of grouping the newest
/// clicks again (a sort of every click). Trusted only while they cover exactly the clicks after the mark: every
/// click this store committed since the mark, with row ids following on from one another, and nobody else's
/// (<see cref="Covers"/>); anything else (a click written by another connection, a failed write, a new store)
/// leaves the rollup to group the log itself.
/// </summary>
internal sealed class PendingRollups
{
    private readonly Dictionary<(DateOnly Day, int LinkId, int ProjectKey, EventStatus Status), (int PartnerId, long Count)> _daily = [];

    // The mark these increments start from (null: unknown) and the newest click they count.
    private long? _from;
    private long _through;

    /// <summary>Whether the increments count exactly the clicks with ids in (<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool Covers(long from, long to) => _from == from && _through == to;

    /// <summary>Counts committed clicks whose row ids run from <paramref name="firstId"/> on, one after another.</summary>
    public void Add(IReadOnlyList<Click> clicks, long firstId)
    {
        if (_from is null || clicks.Count == 0)
        {
            return;
        }

        if (firstId != _through + 1)
        {
            // Someone else's clicks came in between: these increments no longer say what the log holds.
            Forget();
            return;
        }

        foreach (var c in clicks)
        {
            var day = DateOnly.FromDateTime(c.CreatedAt);
            var projectKey = c.ProjectId ?? 0;
            var key = (day, c.LinkId, projectKey, c.Status);
            _daily[key] = _daily.TryGetValue(key, out var d) ? (Math.Min(d.PartnerId, c.PartnerId), d.Count + 1) : (c.PartnerId, 1);
        }

        _through = firstId + clicks.Count - 1;
    }

    /// <summary>Starts counting again from a new mark (after a rollup up to it has committed).</summary>
    public void StartAt(long mark)
    {
        _daily.Clear();
        _from = mark;
        _through = mark;
    }

    public void Forget()
    {
        _daily.Clear();
        _from = null;
    }

    /// <summary>The <see cref="ClickDaily"/> increments as one JSON array of [day, link, project key, status, partner, count], in key order.</summary>
    public string DailyJson() => Json(_daily.OrderBy(e => e.Key), static (w, e) =>
    {
        w.WriteStringValue(e.Key.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumberValue(e.Key.LinkId);
        w.WriteNumberValue(e.Key.ProjectKey);
        w.WriteStringValue(e.Key.Status.ToString());
        w.WriteNumberValue(e.Value.PartnerId);
        w.WriteNumberValue(e.Value.Count);
    });

    /// <summary>
    /// The <see cref="ClickDailyProject"/> increments (the daily ones summed per day, project and status) as one JSON
    /// array of [day, project key, status, count], in key order.
    /// </summary>
    public string ProjectJson() => Json(
        _daily.GroupBy(e => (e.Key.Day, e.Key.ProjectKey, e.Key.Status), e => e.Value.Count)
            .Select(g => KeyValuePair.Create(g.Key, g.Sum()))
            .OrderBy(e => e.Key),
        static (w, e) =>
    {
        w.WriteStringValue(e.Key.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumberValue(e.Key.ProjectKey);
        w.WriteStringValue(e.Key.Status.ToString());
        w.WriteNumberValue(e.Value);
    });

    private static string Json<T>(IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                w.WriteStartArray();
                write(w, row);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
