namespace Ladybug.Engine.Domain;

/// <summary>A rule that needs the outside world (the cloud's connections and specs). Registered by the infrastructure.</summary>
public interface IClusterSpecCheck
{
    Task CheckAsync(ClusterSpec spec, ValidationErrors errors, CancellationToken cancellationToken);
    Task CheckPoolsAsync(IReadOnlyList<NodePoolSpec> workerPools, ValidationErrors errors, CancellationToken cancellationToken);
}
