using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Domain;

public sealed class TrackingIdTests
{
    public static TheoryData<DateTime> Moments() =>
    [
        new DateTime(2026, 11, 26, 1, 2, 3, DateTimeKind.Utc),
        new DateTime(2026, 11, 26, 1, 2, 3, 999, DateTimeKind.Utc).AddTicks(9999),
        new DateTime(2024, 2, 29, 23, 59, 59, 123, DateTimeKind.Utc).AddTicks(4567),
        new DateTime(2026, 1, 1, 0, 0, 0, 1, DateTimeKind.Unspecified), // times are UTC whatever their kind says
        DateTime.UnixEpoch,
    ];

    [Theory]
    [MemberData(nameof(Moments))]
    public void A_tracking_id_gives_back_the_millisecond_of_its_click(DateTime at)
    {
        var id = Click.NewTrackingId(at);

        var (from, to) = Click.CreatedWithin(id)!.Value;

        Assert.Equal(7, id.Version);
        Assert.Equal(Guid.CreateVersion7(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))).ToString()[..13], id.ToString()[..13]);
        Assert.Contains(id.ToString()[19], "89ab");
        Assert.InRange(at, from, to.AddTicks(-1));
        Assert.Equal(TimeSpan.FromMilliseconds(1), to - from);
        Assert.Equal(0, from.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.Equal(DateTimeKind.Utc, from.Kind);
    }

    [Fact]
    public void Ids_of_the_same_millisecond_differ_and_other_uuids_carry_no_time()
    {
        var at = new DateTime(2026, 11, 26, 1, 2, 3, 4, DateTimeKind.Utc);

        var ids = Enumerable.Range(0, 1000).Select(_ => Click.NewTrackingId(at)).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.Null(Click.CreatedWithin(Guid.NewGuid()));
        Assert.Null(Click.CreatedWithin(Guid.Empty));
        Assert.Null(Click.CreatedWithin(Guid.AllBitsSet));
    }
}
