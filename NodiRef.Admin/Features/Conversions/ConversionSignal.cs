namespace NodiRef.Admin.Features.Conversions;

/// <summary>Wakes the conversion processor as soon as a conversion is recorded in this instance.</summary>
public sealed class ConversionSignal : IDisposable
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

    /// <summary>Waits for a signal or the polling interval (conversions recorded by other instances).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
