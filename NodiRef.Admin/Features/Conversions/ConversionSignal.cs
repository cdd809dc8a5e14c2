namespace NodiRef.Admin.Features.Conversions;

/// <summary>Wakes the conversion processor as soon as a conversion is recorded in this instance.</summary>
public sealed class ConversionSignal(TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose() => _signal.Dispose();

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the processor will see this conversion in the same pass.
        }
    }

    /// <summary>
    /// Waits for a signal (true) or the polling interval on the app's clock (false; conversions recorded by
    /// other instances), so a test drives the poll with its own clock.
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
