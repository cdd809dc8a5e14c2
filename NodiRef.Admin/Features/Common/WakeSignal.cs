namespace NodiRef.Admin.Features.Common;

/// <summary>
/// Wakes a background loop at once when this instance made work for it; otherwise the loop polls (work made by
/// other instances). Each loop has its own kind (<c>ConversionSignal</c>, <c>WebhookSignal</c>), one per app.
/// </summary>
public abstract class WakeSignal(TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose()
    {
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the loop will see this work in the same pass.
        }
    }

    /// <summary>
    /// Waits for a signal (true) or the polling interval on the app's clock (false), so a test drives the poll
    /// with its own clock.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var poll = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, ct);
        try
        {
            await _signal.WaitAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (poll.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
