namespace NodiRef.Admin.Tests.Support;

/// <summary>A clock that only moves when a test says so, so timestamps and orderings are predictable.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public FakeTimeProvider()
        : this(DefaultStart)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
