namespace Ladybug.Engine.Domain;

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

/// <summary>The cluster watch's verdict, kept apart from the phase (a Provisioned cluster can be Degraded).</summary>
public enum ClusterHealth
{
    Healthy,
    /// <summary>The API answers but a node is not Ready or an etcd member is not healthy.</summary>
    Degraded,
    /// <summary>Neither the API endpoint nor SSH to a control plane answers.</summary>
    Unreachable,
}

public enum ClusterWatchMode
{
    /// <summary>A list+watch on the API endpoint the kubeconfig names.</summary>
    Api,
    /// <summary>The endpoint does not answer the console; kubectl runs over SSH on a control plane now and then.</summary>
    Ssh,
}

/// <summary>A Kubernetes Node's Ready condition status: True, False, Unknown.</summary>
public enum NodeReadiness
{
    Ready,
    NotReady,
    Unknown,
}

public enum EtcdMemberHealth
{
    Healthy,
    Unhealthy,
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
    /// <summary>
    /// The cloud's network load balancer. Refused for new clusters (docs/sandbox-fidelity/nlb.md); kept so that
    /// clusters stored with it before still load.
    /// </summary>
    Nlb,
}
