using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

public static class ClusterWaits
{
    /// <summary>Waits until no job of the cluster is queued or running and <paramref name="done"/> holds.</summary>
    public static async Task<ClusterView> WaitForSettledAsync(this ClusterQueries queries, Guid clusterId, Func<ClusterView, IReadOnlyList<JobView>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Jobs first: a cluster read after they finished carries everything they wrote (read the other way round, a
            // rollback could append to the message between the two reads and the wait would return the older cluster).
            var jobs = await queries.JobsAsync(clusterId);
            var cluster = await queries.GetAsync(clusterId) ?? throw new InvalidOperationException("cluster vanished");
            if (jobs.All(j => j.IsFinished) && done(cluster, jobs))
                return cluster;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Cluster is {cluster.Phase} ({cluster.Reason}: {cluster.Message}); jobs: {string.Join(", ", jobs.Select(j => $"{j.Kind}={j.State}@{j.CurrentStep}"))}");
            await Task.Delay(25);
        }
    }
}
