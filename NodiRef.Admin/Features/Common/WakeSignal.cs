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

    /// <summary>
    /// The loop itself, once the database is ready: runs <paramref name="pass"/> while it finds work (answers more
    /// than 0), then waits for this signal or <paramref name="poll"/>; a failed pass is logged and retried at the next.
    /// </summary>
    public async Task RunAsync(Hosting.DatabaseReadiness readiness, TimeSpan poll, Func<CancellationToken, Task<int>> pass, ILogger logger, string failure, CancellationToken stoppingToken)
    {
        if (!await readiness.WaitAsync(stoppingToken))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await pass(stoppingToken) > 0)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
#pragma warning disable CA2254 // The message is the caller's constant.
                logger.LogError(e, failure);
#pragma warning restore CA2254
            }

            try
            {
                await WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
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
