namespace Ladybug.Engine.Clusters;

/// <summary>What a person sees. Decisions read recorded steps and node facts, not the phase.</summary>
public enum ClusterPhase
{
    Pending,
    Provisioning,
    Provisioned,
    Failed,
    Deleting,
    /// <summary>Machines are gone; the row stays so the history remains visible.</summary>
    Deleted,
}

public enum NodeRole
{
    ControlPlane,
    Worker,
}

public enum NodeStatus
{
    Pending,
    Creating,
    Bootstrapping,
    Joining,
    Ready,
    Failed,
    Deleting,
    Deleted,
}

public enum Cni
{
    Canal,
    Kilo,
}

/// <summary>How nodes reach the API servers when there are 3 or 5 control planes.</summary>
public enum LoadBalancerMode
{
    /// <summary>Node-local haproxy on every node (no single point of failure).</summary>
    Haproxy,
    /// <summary>The cloud's network load balancer through Tumblebug.</summary>
    Nlb,
}
