using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Api;

/// <summary>
/// Holds a <c>?wait=true</c> request until its job ends, for scripts written when MCKS answered only
/// after provisioning. Live events wake it at once; a slow poll of the stored job covers events a busy
/// subscriber lost. The wait ends at <see cref="ApiOptions.WaitTimeout"/> or when the client goes away;
/// the job itself is never affected.
/// </summary>
internal sealed class JobWaiter(ClusterQueries queries, IProvisioningEvents events, IOptions<ApiOptions> options, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The newest job of <paramref name="kind"/> as it is when it finished, or as it is when the wait timed out.</summary>
    public async Task<JobView?> WaitAsync(Guid clusterId, JobKind kind, CancellationToken cancellationToken)
    {
        var job = (await queries.JobsAsync(clusterId, cancellationToken)).FirstOrDefault(j => j.Kind == kind);
        if (job is null || job.IsFinished) return job;

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = events.Subscribe(clusterId, e =>
        {
            if (e is JobChanged changed && changed.JobId == job.Id && changed.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled)
                ended.TrySetResult();
            return ValueTask.CompletedTask;
        });
        using var timeout = new CancellationTokenSource(options.Value.WaitTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        while (true)
        {
            // Read after subscribing: an end published before the subscription existed is still seen here.
            job = (await queries.JobsAsync(clusterId, cancellationToken)).First(j => j.Id == job.Id);
            if (job.IsFinished) return job;
            try
            {
                await ended.Task.WaitAsync(PollInterval, time, linked.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return job;
            }
        }
    }
}
