namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// A clock that only moves when a test says so, so timestamps and orderings are predictable. With
/// <see cref="DrivesTimers"/>, its timers and timestamps move with it too: a background loop's
/// <c>Task.Delay(interval, clock, ct)</c> ends only when <see cref="Advance"/> passes it, so a test drives
/// the loop instead of waiting for it. (Off by default: a whole app on this clock keeps real timers.)
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private TaskCompletionSource _timerAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _now = start;

    public FakeTimeProvider()
        : this(DefaultStart)
    {
    }

    /// <summary>Whether timers fire and timestamps move only with <see cref="Advance"/>.</summary>
    public bool DrivesTimers { get; init; }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => DrivesTimers ? TimeSpan.TicksPerSecond : base.TimestampFrequency;

    public override long GetTimestamp() => DrivesTimers ? GetUtcNow().UtcTicks : base.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!DrivesTimers)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on, and fires (on the caller's thread) every timer it passes.</summary>
    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>Completes once a timer is waiting on this clock (a loop has reached its wait), at once if one already is.</summary>
    public Task WhenWaitingAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            return _timers.Count > 0 ? Task.CompletedTask : _timerAdded.Task.WaitAsync(ct);
        }
    }

    private sealed class Timer(FakeTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                _period = period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = clock._now + dueTime;
                    clock._timers.Add(this);
                    clock._timerAdded.TrySetResult();
                    clock._timerAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            return true;
        }

        public void Fire()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    DueAt += _period;
                    clock._timers.Add(this);
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
