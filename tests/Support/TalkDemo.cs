namespace Ladybug.Tests.Support;

/// <summary>
/// The two cbadm commands of the talk's demo (shared/reference/seed-cb-ladybug-talk-ko.txt, "MCKS 맛보기"), as the
/// shell hands them to the program, with only the connection names changed from config-aws-tokyo and config-gcp-tokyo
/// to Tumblebug v0.13's aws-ap-northeast-1 and gcp-asia-northeast1. The flags are cbadm's
/// (cb-mcks src/grpc-api/cbadm/cmd/create.go:96-124 and root.go:50-55 @v0.7.0).
/// </summary>
public static class TalkDemo
{
    public const string Namespace = "cloud-barista";
    public const string Cluster = "cb-cluster";

    /// <summary>A control plane of one t2.medium in AWS Tokyo, two e2-highcpu-4 workers in GCP Tokyo.</summary>
    public static readonly string[] CreateCluster =
    [
        "create", "cluster",
        "--namespace", Namespace,
        "--name", Cluster,
        "--control-plane-connection=aws-ap-northeast-1",
        "--control-plane-count=1",
        "--control-plane-spec=t2.medium",
        "--worker-connection=gcp-asia-northeast1",
        "--worker-count=2",
        "--worker-spec=e2-highcpu-4",
    ];

    /// <summary>One more worker: a t2.medium in AWS Tokyo.</summary>
    public static readonly string[] CreateNode =
    [
        "create", "node",
        "--namespace", Namespace,
        "--cluster", Cluster,
        "--worker-connection=aws-ap-northeast-1",
        "--worker-count=1",
        "--worker-spec=t2.medium",
    ];
}
