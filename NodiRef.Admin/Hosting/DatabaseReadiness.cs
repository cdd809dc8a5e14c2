namespace NodiRef.Admin.Hosting;

/// <summary>
/// Whether the database is prepared (migrated, roles in place): the server listens before that, so
/// liveness answers at once while requests and the background services that use the database wait
/// for this signal.
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isReady;

    /// <summary>True once the database is prepared; a plain field read, cheap enough for every request.</summary>
    public bool IsReady => _isReady;

    /// <summary>Completes when the database is prepared; faults when preparing it failed.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>A signal that is ready from the start, for code run on a database prepared beforehand (tests, tools).</summary>
    public static DatabaseReadiness AlreadyReady()
    {
        var readiness = new DatabaseReadiness();
        readiness.MarkReady();
        return readiness;
    }

    public void MarkReady()
    {
        _isReady = true;
        _ready.TrySetResult();
    }

    public void MarkFailed(Exception error) => _ready.TrySetException(error);

    /// <summary>Waits until the database is prepared; false when <paramref name="ct"/> ends the wait first.</summary>
    public async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            await _ready.Task.WaitAsync(ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
