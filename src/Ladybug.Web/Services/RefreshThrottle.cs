namespace Ladybug.Web.Services;

/// <summary>
/// Coalesces bursts of change notifications into at most one refresh per interval, so a page that
/// watches every cluster re-queries a few times a second at most however busy the engine is.
/// </summary>
public sealed class RefreshThrottle(TimeSpan interval, Func<Task> refresh, TimeProvider? time = null) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _pending;

    public void Request()
    {
        if (_stop.IsCancellationRequested || Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(interval, time ?? TimeProvider.System, _stop.Token);
            Interlocked.Exchange(ref _pending, 0);
            await refresh();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stop.Cancel();
}
