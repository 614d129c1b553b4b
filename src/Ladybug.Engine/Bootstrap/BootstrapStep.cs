namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// One bootstrap script: its name (also its marker line, <c># ladybug-step: name</c>, which the
/// sandbox's node simulator keys on) and the reason code a failure of it gets.
/// </summary>
/// <param name="ClusterWide">
/// Runs on the leader on behalf of the whole cluster (kubectl work): a failure is the cluster's,
/// not the leader node's, so the leader is not marked Failed.
/// </param>
public sealed record BootstrapStep(string Name, string FailureReason, bool ClusterWide = false)
{
    public const string MarkerPrefix = "# ladybug-step: ";

    public string Marker => MarkerPrefix + Name;

    public static readonly BootstrapStep Prepare = new("prepare", Domain.FailureReason.SetupBootstrapFailed);
    public static readonly BootstrapStep PublicIp = new("public-ip", Domain.FailureReason.SetupBootstrapFailed);
    public static readonly BootstrapStep Haproxy = new("haproxy", Domain.FailureReason.SetupHaproxyFailed);
    public static readonly BootstrapStep KubeadmInit = new("kubeadm-init", Domain.FailureReason.InitControlPlaneFailed);
    public static readonly BootstrapStep Cni = new("cni", Domain.FailureReason.SetupNetworkCniFailed, ClusterWide: true);
    public static readonly BootstrapStep JoinControlPlane = new("join-control-plane", Domain.FailureReason.JoinControlPlaneFailed);
    public static readonly BootstrapStep JoinWorker = new("join-worker", Domain.FailureReason.JoinWorkerFailed);
    public static readonly BootstrapStep JoinToken = new("join-token", Domain.FailureReason.JoinWorkerFailed, ClusterWide: true);
    public static readonly BootstrapStep Label = new("label", Domain.FailureReason.LabelNodesFailed, ClusterWide: true);
    public static readonly BootstrapStep WaitReady = new("wait-ready", Domain.FailureReason.NodesNotReady, ClusterWide: true);
    public static readonly BootstrapStep FetchKubeconfig = new("fetch-kubeconfig", Domain.FailureReason.FetchKubeconfigFailed, ClusterWide: true);
    public static readonly BootstrapStep DrainDeleteNode = new("drain-delete-node", Domain.FailureReason.RemoveNodeFailed, ClusterWide: true);
    public static readonly BootstrapStep Reset = new("reset", Domain.FailureReason.JoinWorkerFailed);
    public static readonly BootstrapStep OverlayAddresses = new("overlay-addresses", Domain.FailureReason.SetupNetworkCniFailed, ClusterWide: true);
    // Run on each node, but a tunnel that carries nothing is the pair's problem (their security groups), not this node's.
    public static readonly BootstrapStep PodNetwork = new("pod-network", Domain.FailureReason.SetupNetworkCniFailed, ClusterWide: true);

    // A failed renewal is the job's: the node keeps serving with the certificates it had (the script puts its manifests back).
    public static readonly BootstrapStep RenewCertificates = new("renew-certificates", Domain.FailureReason.RenewCertificatesFailed, ClusterWide: true);

    /// <summary>Not part of a job: the cluster watch reads the nodes this way when the API endpoint does not answer the console.</summary>
    public static readonly BootstrapStep GetNodes = new("get-nodes", Domain.FailureReason.NodesNotReady, ClusterWide: true);

    public static IReadOnlyList<BootstrapStep> All { get; } =
        [Prepare, PublicIp, Haproxy, KubeadmInit, Cni, JoinControlPlane, JoinWorker, JoinToken, Label, WaitReady, FetchKubeconfig, DrainDeleteNode, Reset,
         OverlayAddresses, PodNetwork, RenewCertificates, GetNodes];

    public override string ToString() => Name;
}
