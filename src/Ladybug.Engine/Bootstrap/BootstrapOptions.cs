namespace Ladybug.Engine.Bootstrap;

/// <summary>Section "Ladybug:Bootstrap": how the kubeadm plan runs.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Ladybug:Bootstrap";

    /// <summary>The fixed controlPlaneEndpoint name every node maps in /etc/hosts.</summary>
    public string ApiEndpointHost { get; set; } = "ladybug-api.cluster.internal";

    /// <summary>Nodes prepared (and given their haproxy) at the same time.</summary>
    public int PrepareParallelism { get; set; } = 64;

    /// <summary>Workers joining at the same time; control planes always join one by one.</summary>
    public int WorkerJoinParallelism { get; set; } = 16;

    /// <summary>Tries per worker join; between tries the node is reset. Control-plane joins are never retried.</summary>
    public int WorkerJoinAttempts { get; set; } = 2;

    /// <summary>Tries of prepare and public-ip on a node whose SSH session dropped under them (they are repeatable).</summary>
    public int RepeatableStepAttempts { get; set; } = 3;

    /// <summary>How long every node may take to report Ready after the joins.</summary>
    public TimeSpan WaitReadyTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the pod network may take to carry traffic between every two nodes once they are Ready (the CNI
    /// publishing each node's tunnel address, then each node pinging the others through the tunnel).
    /// </summary>
    public TimeSpan PodNetworkTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long draining a node may take when it is removed.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Lifetime of join tokens minted after init (adding nodes, resumed jobs).</summary>
    public TimeSpan JoinTokenTtl { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Renewing certificates: how long one control plane's API server may take to stop once its static pod manifests
    /// are moved out, and again to answer once they are back (kubeadm's own UpgradeManifestsTimeout is 5 minutes).
    /// </summary>
    public TimeSpan ControlPlaneRestartTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
