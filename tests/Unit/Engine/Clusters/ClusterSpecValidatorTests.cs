using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Clusters;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ClusterSpecValidatorTests
{
    private const string NamePatternRule = "must start with a lowercase letter and contain only lowercase letters, digits and '-', not ending with '-'.";
    private const string RootDiskRule = "Root disk size must be between 10 and 4096 GB, or left to the cloud's default.";

    /// <summary>The spec has errors on exactly one field, and they are exactly these messages.</summary>
    internal static void AssertOnlyError(ClusterSpec spec, string field, params string[] messages)
    {
        var errors = ClusterSpecValidator.Validate(spec);
        Assert.Equal([field], errors.ByField.Keys);
        Assert.Equal(messages, errors.For(field));
    }

    internal static void AssertValid(ClusterSpec spec)
    {
        var errors = ClusterSpecValidator.Validate(spec);
        Assert.True(errors.IsValid, errors.ToString());
    }

    [Fact]
    public void ValidSpecHasNoErrors() => AssertValid(ClusterSpecs.Valid());

    [Fact]
    public void ErrorsOfDifferentFieldsAreAllReported()
    {
        var spec = ClusterSpecs.Valid() with { Name = "Bad", PodCidr = "nonsense", ControlPlane = ClusterSpecs.Pool(2), WorkerPools = [ClusterSpecs.Pool(0)] };

        var errors = ClusterSpecValidator.Validate(spec);

        Assert.Equal(["controlPlane.count", "name", "podCidr", "workerPools[0].count"], errors.ByField.Keys.Order(StringComparer.Ordinal));
    }

    // --- name and namespace ---

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void NameIsRequired(string name) =>
        AssertOnlyError(ClusterSpecs.Valid() with { Name = name }, "name", "Cluster name is required.");

    [Theory]
    [InlineData("Demo")]
    [InlineData("DEMO")]
    [InlineData("demo-")]
    [InlineData("-demo")]
    [InlineData("1demo")]
    [InlineData("de_mo")]
    [InlineData("de.mo")]
    [InlineData("de mo")]
    [InlineData("démo")]
    public void NameMustBeALowercaseDnsLabel(string name) =>
        AssertOnlyError(ClusterSpecs.Valid() with { Name = name }, "name", $"Cluster name {NamePatternRule}");

    [Fact]
    public void NameLongerThan63CharactersIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { Name = new string('a', 64) }, "name", "Cluster name must be at most 63 characters (got 64).");

    [Theory]
    [InlineData("a")]
    [InlineData("demo-1")]
    [InlineData("a-b-c9")]
    public void LowercaseDnsLabelNamesAreAccepted(string name) => AssertValid(ClusterSpecs.Valid() with { Name = name });

    [Fact]
    public void NameOf63CharactersIsAccepted() => AssertValid(ClusterSpecs.Valid() with { Name = "a" + new string('b', 62) });

    [Fact]
    public void NamespaceIsRequired() =>
        AssertOnlyError(ClusterSpecs.Valid() with { Namespace = "" }, "namespace", "Namespace is required.");

    [Theory]
    [InlineData("Default")]
    [InlineData("ns_1")]
    [InlineData("team-")]
    public void NamespaceMustBeALowercaseDnsLabel(string ns) =>
        AssertOnlyError(ClusterSpecs.Valid() with { Namespace = ns }, "namespace", $"Namespace {NamePatternRule}");

    [Fact]
    public void NamespaceLongerThan63CharactersIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { Namespace = new string('n', 64) }, "namespace", "Namespace must be at most 63 characters (got 64).");

    [Fact]
    public void DescriptionLongerThan1024CharactersIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { Description = new string('d', 1025) }, "description", "Description must be at most 1024 characters.");

    [Fact]
    public void LabelLongerThan255CharactersIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { Label = new string('l', 256) }, "label", "Label must be at most 255 characters.");

    [Fact]
    public void NullTextFieldsFromJsonAreErrorsNotCrashes()
    {
        // System.Text.Json writes an explicit null over the initializer's default.
        var spec = ClusterSpecs.Valid() with { Name = null!, Namespace = null!, Description = null!, Label = null!, KubernetesVersion = null!, PodCidr = null!, ServiceCidr = null!, DnsDomain = null! };

        var errors = ClusterSpecValidator.Validate(spec);

        Assert.Equal(["dnsDomain", "kubernetesVersion", "name", "namespace", "podCidr", "serviceCidr"], errors.ByField.Keys.Order(StringComparer.Ordinal));
    }

    // --- Kubernetes version ---

    public static TheoryData<string> SupportedVersions()
    {
        string[] written = ["1.18.0", "1.18.20", "1.23.0", "1.23.13", "v1.23.13", "1.23.13-00", "1.23.17", " 1.23.13 ", KubernetesVersionCatalog.DefaultVersion];
        // Distinct: the catalog's latest patches repeat some written ones, and xUnit skips duplicate cases.
        return new TheoryData<string>(written.Concat(KubernetesVersionCatalog.Minors.Select(m => m.LatestVersion)).Distinct());
    }

    [Theory]
    [MemberData(nameof(SupportedVersions))]
    public void LegacyAndCurrentVersionsAreAccepted(string version) =>
        AssertValid(ClusterSpecs.Valid() with { KubernetesVersion = version });

    [Theory]
    [InlineData("1.19.0")]
    [InlineData("1.22.17")]
    [InlineData("1.18.21")]
    [InlineData("1.23.18")]
    [InlineData("1.17")]
    [InlineData("1.23.")]
    [InlineData("1.023")]
    [InlineData("1.23.x")]
    [InlineData("latest")]
    [InlineData("")]
    [InlineData("v")]
    [InlineData("2.0.0")]
    [InlineData("1.23.13-rc.1")]
    [InlineData("1.23.13-")]
    [InlineData("1.23.+1")]
    [InlineData("1.23.013")]
    [InlineData("1.23.-1")]
    [InlineData("vv1.23.13")]
    public void UnknownVersionIsRejectedWithTheSupportedRanges(string version)
    {
        var errors = ClusterSpecValidator.Validate(ClusterSpecs.Valid() with { KubernetesVersion = version });

        Assert.Equal(["kubernetesVersion"], errors.ByField.Keys);
        var message = Assert.Single(errors.For("kubernetesVersion"));
        Assert.StartsWith($"Kubernetes version '{version}' is not supported. Choose one of: ", message);
        Assert.Contains("1.18.0–1.18.20", message);
        Assert.Contains("1.23.0–1.23.17", message);
        Assert.Contains($"{KubernetesVersionCatalog.Minors[0].Minor}.0–{KubernetesVersionCatalog.DefaultVersion}", message);
    }

    [Theory]
    [InlineData("v1.23.13", "1.23.13")]
    [InlineData("1.23.13-00", "1.23.13")]
    [InlineData(" 1.18.20 ", "1.18.20")]
    [InlineData("1.18", "1.18.20")]
    [InlineData("v1.23", "1.23.17")]
    public void StoredVersionIsNormalized(string asked, string stored)
    {
        var cluster = Cluster.FromSpec(ClusterSpecs.Valid() with { KubernetesVersion = asked }, DateTimeOffset.UtcNow);

        Assert.Equal(stored, cluster.KubernetesVersion);
    }

    [Fact]
    public void UnknownCniIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { Cni = (Cni)42 }, "cni", "CNI must be canal or kilo.");

    /// <summary>A cloud NLB is not offered (docs/sandbox-fidelity/nlb.md): a new spec asking for one is refused, not failed later.</summary>
    [Theory]
    [InlineData(LoadBalancerMode.Nlb)]
    [InlineData((LoadBalancerMode)42)]
    public void AnyLoadBalancerButHaproxyIsRejected(LoadBalancerMode mode) =>
        AssertOnlyError(ClusterSpecs.Valid() with { LoadBalancer = mode }, "loadBalancer", "Load balancer must be haproxy: Ladybug does not offer a cloud NLB yet.");

    // --- pools ---

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(-1)]
    public void ControlPlaneCountOutsideOneThreeFiveIsRejected(int count) =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(count) }, "controlPlane.count",
            $"Control-plane count must be 1, 3 or 5 (got {count}).");

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void EvenControlPlaneCountIsRejectedForEtcdQuorum(int count) =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(count) }, "controlPlane.count",
            $"A control plane needs an odd number of nodes for etcd quorum: choose 1, 3 or 5 (not {count}).");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void ControlPlaneCountOfOneThreeOrFiveIsAccepted(int count) =>
        AssertValid(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(count) });

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-3)]
    public void WorkerCountOutsideOneToHundredIsRejected(int count) =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool(1), ClusterSpecs.Pool(count)] }, "workerPools[1].count",
            $"Worker count must be between 1 and 100 (got {count}).");

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void WorkerCountFromOneToHundredIsAccepted(int count) =>
        AssertValid(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool(count)] });

    [Fact]
    public void SpecWithoutWorkerPoolsIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [] }, "workerPools", "Add at least one worker pool.");

    [Fact]
    public void NullWorkerPoolListIsRejectedLikeAnEmptyOne() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = null! }, "workerPools", "Add at least one worker pool.");

    [Fact]
    public void MoreThanTwentyWorkerPoolsAreRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [.. Enumerable.Range(0, 21).Select(_ => ClusterSpecs.Pool())] }, "workerPools",
            "At most 20 worker pools are supported.");

    [Fact]
    public void TwentyWorkerPoolsAreAccepted() =>
        AssertValid(ClusterSpecs.Valid() with { WorkerPools = [.. Enumerable.Range(0, 20).Select(_ => ClusterSpecs.Pool())] });

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ControlPlaneWithoutConnectionIsRejected(string connection) =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(connection: connection) }, "controlPlane.connection", "Choose a cloud connection.");

    [Fact]
    public void WorkerPoolWithoutConnectionIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool(), ClusterSpecs.Pool(connection: "")] }, "workerPools[1].connection", "Choose a cloud connection.");

    [Fact]
    public void ControlPlaneWithoutVmSpecIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(spec: "") }, "controlPlane.spec", "Choose a VM spec.");

    [Fact]
    public void WorkerPoolWithoutVmSpecIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool(), ClusterSpecs.Pool(spec: " ")] }, "workerPools[1].spec", "Choose a VM spec.");

    [Fact]
    public void MissingControlPlaneIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = null! }, "controlPlane", "The control plane is required.");

    [Fact]
    public void MissingWorkerPoolIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool(), null!] }, "workerPools[1]", "The worker pool is missing.");

    [Theory]
    [InlineData(9)]
    [InlineData(4097)]
    [InlineData(0)]
    [InlineData(-10)]
    public void ControlPlaneRootDiskSizeOutOfRangeIsRejected(int size) =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool() with { RootDiskSizeGb = size } }, "controlPlane.rootDiskSizeGb", RootDiskRule);

    [Fact]
    public void WorkerRootDiskSizeOutOfRangeIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool() with { RootDiskSizeGb = 5000 }] }, "workerPools[0].rootDiskSizeGb", RootDiskRule);

    [Theory]
    [InlineData(null)]
    [InlineData(10)]
    [InlineData(4096)]
    public void RootDiskSizeInRangeOrUnsetIsAccepted(int? size) =>
        AssertValid(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool() with { RootDiskSizeGb = size }, WorkerPools = [ClusterSpecs.Pool() with { RootDiskSizeGb = size }] });

    [Fact]
    public void EmptyRootDiskTypeIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool() with { RootDiskType = "" } }, "controlPlane.rootDiskType",
            "Root disk type must be \"default\" or a disk type the cloud knows.");

    [Fact]
    public void AMisspeltDefaultRootDiskTypeIsRejectedWithTheLikelyWord() =>
        // cb-mcks's docs/test/cluster-create.sh (v0.7.0 and v0.7.2) sends "defalut".
        AssertOnlyError(ClusterSpecs.Valid() with { WorkerPools = [ClusterSpecs.Pool() with { RootDiskType = "defalut" }] }, "workerPools[0].rootDiskType",
            "Root disk type 'defalut' is not one any cloud offers — did you mean 'default'? Use \"default\" or a type of the connection's cloud (e.g. gp3, pd-balanced, PremiumSSD).");

    [Fact]
    public void ARootDiskTypeInTheWrongCaseIsRejectedWithTheCloudsSpelling() =>
        AssertOnlyError(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool() with { RootDiskType = "GP3" } }, "controlPlane.rootDiskType",
            "Root disk type 'GP3' is spelled 'gp3' by the cloud.");

    [Theory]
    [InlineData("default")]
    [InlineData("gp3")]
    [InlineData("pd-ssd")]
    [InlineData("cloud_essd")]
    public void DefaultOrAnyCloudsRootDiskTypePassesBeforeTheCloudIsAsked(string type) =>
        AssertValid(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool() with { RootDiskType = type } });
}
