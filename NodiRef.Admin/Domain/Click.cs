namespace NodiRef.Admin.Domain;

public enum EventStatus
{
    Recorded = 0,
    Discarded = 1,
}

/// <summary>Why an event was stored but counts nowhere.</summary>
public static class DiscardReasons
{
    public const string PartnerInactive = "partner_inactive";
    public const string ProjectArchived = "project_archived";
    public const string Bot = "bot";

    public static string Describe(string? reason) => reason switch
    {
        PartnerInactive => "Partner inactive",
        ProjectArchived => "Project archived",
        Bot => "Bot",
        null => "",
        _ => reason,
    };
}

/// <summary>One opening of a referral link, with the partner and project it had at that moment.</summary>
public sealed class Click
{
    public const int UserAgentMaxLength = 512;
    public const int IpMaxLength = 64;

    public long Id { get; set; }

    /// <summary>Made by <see cref="NewTrackingId"/> from <see cref="CreatedAt"/>; the way to find the click from its id.</summary>
    public Guid TrackingId { get; set; }
    public int LinkId { get; set; }
    public int PartnerId { get; set; }
    public int? ProjectId { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public DateTime CreatedAt { get; set; }
    public EventStatus Status { get; set; }
    public string? DiscardReason { get; set; }

    /// <summary>
    /// The tracking id of a click made at <paramref name="at"/> (UTC): a version 7 UUID, which carries that
    /// moment to the millisecond before 74 random bits. The click log keeps no index of tracking ids (one
    /// more page written per batch, on a random-looking key): <see cref="CreatedWithin"/> gives back the
    /// millisecond, and the log's time index finds the click among the few made in it.
    /// </summary>
    /// <remarks>
    /// The same layout as <see cref="Guid.CreateVersion7(DateTimeOffset)"/>, with the random bits from the
    /// cryptographic generator in process, drawn a few hundred ids at a time, rather than one read of the
    /// kernel's random device per id (a system call per click on Linux, on the busiest route).
    /// </remarks>
    public static Guid NewTrackingId(DateTime at)
    {
        var ms = (ulong)(DateTime.SpecifyKind(at, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        Span<byte> bytes = stackalloc byte[16];
        TakeRandomBytes(bytes[6..]);
        for (var i = 5; i >= 0; i--, ms >>= 8)
        {
            bytes[i] = (byte)ms;
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    // Random bytes drawn from the cryptographic generator a few hundred ids at a time, per thread.
    [ThreadStatic]
    private static byte[]? _random;

    [ThreadStatic]
    private static int _randomUsed;

    private static void TakeRandomBytes(Span<byte> destination)
    {
        var random = _random ??= new byte[4096];
        if (_randomUsed == 0 || _randomUsed + destination.Length > random.Length)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(random);
            _randomUsed = 0;
        }

        random.AsSpan(_randomUsed, destination.Length).CopyTo(destination);
        random.AsSpan(_randomUsed, destination.Length).Clear();
        _randomUsed += destination.Length;
    }

    /// <summary>
    /// The millisecond (UTC, end excluded) in which a click with this tracking id was made; null when the id
    /// is not one <see cref="NewTrackingId"/> makes, so no click has it.
    /// </summary>
    public static (DateTime From, DateTime To)? CreatedWithin(Guid trackingId)
    {
        if (trackingId.Version != 7)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        trackingId.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        var from = DateTime.UnixEpoch.AddMilliseconds(ms);
        return from > DateTime.MaxValue.AddMilliseconds(-1) ? null : (from, from.AddMilliseconds(1));
    }
}

/// <summary>A count of clicks of one day, project and status, whatever else the rollup is keyed by.</summary>
public interface IClickRollup
{
    DateOnly Day { get; }

    /// <summary>The project as of the clicks; 0 when the link had none.</summary>
    int ProjectKey { get; }

    EventStatus Status { get; }

    long Count { get; }
}

/// <summary>
/// Clicks per link, day, project and status: totals grow by appends of whole batches instead of
/// a counter updated on every click, so lists and totals stay fast at tens of millions of clicks.
/// </summary>
public sealed class ClickDaily : IClickRollup, IDailyRollup
{
    public DateOnly Day { get; set; }
    public int LinkId { get; set; }

    /// <summary>The link's project as of the clicks; 0 when it had none (part of the key, so not null).</summary>
    public int ProjectKey { get; set; }

    public EventStatus Status { get; set; }
    public int PartnerId { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// Clicks per day, project and status: a few rows per day in all, so totals over the whole
/// program, a project, a status or a date range are a small sum whatever the number of clicks.
/// </summary>
public sealed class ClickDailyProject : IClickRollup, IProjectDailyRollup
{
    public DateOnly Day { get; set; }

    /// <summary>The project as of the clicks; 0 when the link had none.</summary>
    public int ProjectKey { get; set; }

    public EventStatus Status { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// How far the click rollups have got, where they trail the clicks (SQLite, a single writer): every
/// click with an id up to <see cref="RolledUpThrough"/> is counted in <see cref="ClickDaily"/> and
/// <see cref="ClickDailyProject"/>, none after it. Readers count the few clicks after it themselves,
/// so totals are exact at every moment. One row.
/// </summary>
public sealed class ClickRollupState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long RolledUpThrough { get; set; }
}
