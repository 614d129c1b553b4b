using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// The names of a job's plan steps, in order, as its handler plans them: what the console shows as pending before a
/// step has run. Asked of the same handler the runner asks, so the pages never keep their own copy of a plan.
/// </summary>
public sealed class JobPlans(
    IServiceScopeFactory scopes,
    IDbContextFactory<LadybugDbContext> dbFactory,
    IJobLog log,
    IProvisioningEvents events,
    TimeProvider time,
    GroupCommit groupCommit)
{
    /// <summary>The plan's step names; empty when no handler knows the job's kind.</summary>
    public IReadOnlyList<string> StepNames(JobView view)
    {
        var job = new Job { Id = view.Id, ClusterId = view.ClusterId, Kind = view.Kind, Payload = view.Payload };
        using var scope = scopes.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IJobHandler>().FirstOrDefault(h => h.Kind == job.Kind);
        if (handler is null) return [];
        // Planning only builds the list of steps; none of them runs, so the context is never used to change anything.
        var context = new JobContext(job, dbFactory, log, events, time, scope.ServiceProvider, groupCommit);
        return [.. handler.Plan(context).Select(step => step.Name)];
    }
}
