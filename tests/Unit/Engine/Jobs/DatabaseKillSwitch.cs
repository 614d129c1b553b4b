using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>
/// Cuts an in-process replica off its database the way SIGKILL would leave it: from <see cref="Trip"/> on, every
/// command it sends fails, so nothing it does afterwards (finishing a step, releasing its lease, storing the log
/// lines it still buffers) reaches the database. The rows stay as the last committed write left them.
/// </summary>
public sealed class DatabaseKillSwitch : DbCommandInterceptor
{
    private volatile bool _tripped;

    public void Trip() => _tripped = true;

    /// <summary>Adds the switch to every context of <typeparamref name="TContext"/> the host creates.</summary>
    public Action<IServiceCollection> On<TContext>() where TContext : DbContext =>
        services => services.ConfigureDbContext<TContext>(options => options.AddInterceptors(this));

    private void ThrowIfTripped()
    {
        if (_tripped) throw new InvalidOperationException("This replica was killed: its database is out of reach.");
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ThrowIfTripped();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ThrowIfTripped();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ThrowIfTripped();
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ThrowIfTripped();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ThrowIfTripped();
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        ThrowIfTripped();
        return ValueTask.FromResult(result);
    }
}
