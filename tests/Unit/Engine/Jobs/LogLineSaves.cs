using Ladybug.Engine.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Engine.Persistence;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>
/// Counts the SaveChanges calls that store log lines, and can make each one slow, to show how the job log
/// batches and that it publishes only what is already stored.
/// </summary>
public sealed class LogLineSaves : SaveChangesInterceptor
{
    private int _count;
    private readonly TaskCompletionSource _firstSaveStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Volatile.Read(ref _count);
    /// <summary>Held before each log-line save reaches the database.</summary>
    public TimeSpan DelayBeforeSave { get; init; }
    /// <summary>Completes when the first log-line save begins.</summary>
    public Task FirstSaveStarted => _firstSaveStarted.Task;

    public void AddTo(IServiceCollection services) =>
        services.ConfigureDbContext<LadybugDbContext>(options => options.AddInterceptors(this), ServiceLifetime.Singleton);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context!.ChangeTracker.Entries<LogLine>().Any(e => e.State == EntityState.Added))
        {
            Interlocked.Increment(ref _count);
            _firstSaveStarted.TrySetResult();
            if (DelayBeforeSave > TimeSpan.Zero)
                await Task.Delay(DelayBeforeSave, cancellationToken);
        }
        return result;
    }
}
