namespace Ladybug.Tests.Unit;

/// <summary>
/// Polls until something background work does becomes true. Timeouts are generous on purpose:
/// they only turn a hang into a clear failure, they never measure speed.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> until, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (until(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            await Task.Delay(PollInterval);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(condition, ok => ok, what, timeout);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what, timeout);

    /// <summary>Awaits a task that background work completes, failing clearly instead of hanging.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        try
        {
            return await task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    public static Task CompletesAsync(Task task, string what, TimeSpan? timeout = null) =>
        CompletesAsync(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), what, timeout);
}
