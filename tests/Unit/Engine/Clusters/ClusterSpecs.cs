using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Clusters;

/// <summary>Specs that pass every rule, for tests to bend one field at a time.</summary>
public static class ClusterSpecs
{
    public static NodePoolSpec Pool(int count = 1, string connection = "aws-ap-northeast-2", string spec = "t3.medium") =>
        new() { Connection = connection, Count = count, Spec = spec };

    public static ClusterSpec Valid(string name = "demo", string ns = ClusterSpec.DefaultNamespace) => new()
    {
        Namespace = ns,
        Name = name,
        ControlPlane = Pool(1),
        WorkerPools = [Pool(2, "gcp-asia-northeast3", "e2-standard-2")],
    };
}
