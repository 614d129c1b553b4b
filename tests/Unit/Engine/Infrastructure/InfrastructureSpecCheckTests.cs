using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;
using Ladybug.Tests.Unit.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Infrastructure;

/// <summary>The cloud-dependent cluster rules, asked of the sandbox through the real client.</summary>
public sealed class InfrastructureSpecCheckTests(SandboxCloudFixture fixture) : IClassFixture<SandboxCloudFixture>
{
    private InfrastructureSpecCheck Check => new(fixture.Infrastructure);

    private static ClusterSpec Spec(NodePoolSpec controlPlane, params NodePoolSpec[] workers) =>
        new() { Name = "c1", ControlPlane = controlPlane, WorkerPools = workers };

    private static NodePoolSpec Pool(string connection, string spec, int count = 1) => new() { Connection = connection, Spec = spec, Count = count };

    private async Task<ValidationErrors> ValidateAsync(ClusterSpec spec)
    {
        var errors = new ValidationErrors();
        await Check.CheckAsync(spec, errors, CancellationToken.None);
        return errors;
    }

    [Fact]
    public async Task KnownConnectionsAndBigEnoughSpecsPass()
    {
        var errors = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium"),
            Pool("gcp-europe-west2", "gcp+europe-west2+e2-small"), Pool("azure-koreacentral", "STANDARD_B2S")));

        Assert.True(errors.IsValid, errors.ToString());
    }

    [Fact]
    public async Task AnUnknownConnectionIsAnErrorOnThatPoolsConnectionField()
    {
        var errors = await ValidateAsync(Spec(Pool("aws-mars-1", "t3.medium"), Pool("gcp-europe-west2", "e2-medium")));

        Assert.Equal(["controlPlane.connection"], errors.ByField.Keys);
        Assert.Equal("Connection 'aws-mars-1' is not one the cloud offers; choose one from the list.", errors.First("controlPlane.connection"));
    }

    [Fact]
    public async Task ASpecTheConnectionDoesNotOfferIsAnErrorOnThatPoolsSpecField()
    {
        var errors = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium"), Pool("gcp-europe-west2", "e2-medium"), Pool("gcp-europe-west2", "t3.medium")));

        Assert.Equal(["workerPools[1].spec"], errors.ByField.Keys);
        Assert.Equal("Spec 't3.medium' is not offered on connection 'gcp-europe-west2'.", errors.First("workerPools[1].spec"));
    }

    [Theory]
    // Sold in other regions of the same cloud, not in this one (sandbox-specs.json notSoldIn, with its sources).
    [InlineData("aws-eu-north-1", "t2.medium", "t3.medium")]
    [InlineData("gcp-southamerica-west1", "n1-standard-2", "e2-standard-2")]
    [InlineData("azure-austriaeast", "Standard_D2s_v3", "Standard_D2s_v5")]
    public async Task ASpecNotSoldInTheConnectionsRegionIsAnErrorOnThatPoolsSpecField(string connection, string notSold, string sold)
    {
        var errors = await ValidateAsync(Spec(Pool(connection, sold), Pool(connection, notSold)));

        Assert.Equal(["workerPools[0].spec"], errors.ByField.Keys);
        Assert.Equal($"Spec '{notSold}' is not offered on connection '{connection}'.", errors.First("workerPools[0].spec"));
    }

    [Fact]
    public async Task AControlPlaneNeedsTwoVcpusAndTwoGibibytes()
    {
        var errors = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t2.micro"), Pool("aws-ap-northeast-1", "t3.medium")));

        Assert.Equal(
            ["A control-plane node needs at least 2 vCPUs; t2.micro has 1.", "A control-plane node needs at least 2 GiB of memory; t2.micro has 1 GiB."],
            errors.For("controlPlane.spec"));
    }

    [Fact]
    public async Task AWorkerNeedsTwoGibibytesButOneVcpuIsEnough()
    {
        var small = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium"), Pool("gcp-europe-west2", "f1-micro")));
        var oneVcpu = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium"), Pool("azure-koreacentral", "Standard_B1ms")));

        Assert.Equal(["A worker node needs at least 2 GiB of memory; f1-micro has 0.6 GiB."], small.For("workerPools[0].spec"));
        Assert.True(oneVcpu.IsValid, oneVcpu.ToString());
    }

    [Fact]
    public async Task AddedPoolsAreCheckedWithTheirOwnPaths()
    {
        var errors = new ValidationErrors();

        await Check.CheckPoolsAsync([Pool("aws-ap-northeast-1", "t3.medium"), Pool("tencent-ap-seoul", "S5.SMALL1")], errors, CancellationToken.None);

        Assert.Equal(["workerPools[1].spec"], errors.ByField.Keys);
    }

    [Fact]
    public async Task PoolsWithoutAConnectionAreLeftToTheValidator()
    {
        var errors = await ValidateAsync(Spec(Pool("", ""), Pool("aws-ap-northeast-1", "")));

        Assert.True(errors.IsValid, errors.ToString());
    }

    [Fact]
    public async Task AnUnreachableCloudIsAFieldErrorNotAnException()
    {
        await using var offline = TumblebugTestClient.For($"http://127.0.0.1:{TestSandbox.FreePort()}/tumblebug", "default", "default",
            new Dictionary<string, string?> { ["MaxRetries"] = "1" });
        var errors = new ValidationErrors();

        await new InfrastructureSpecCheck(offline.Infrastructure).CheckAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium"), Pool("gcp-europe-west2", "e2-medium")),
            errors, CancellationToken.None);

        Assert.Equal(["controlPlane.connection"], errors.ByField.Keys);
        Assert.StartsWith("The cloud connections and specs cannot be checked right now: Tumblebug at", errors.First("controlPlane.connection"));
    }

    [Theory]
    // cb-tumblebug assets/spider/cloudos_meta.yaml:15,27,37 @v0.13.0: each cloud's own root-disk types.
    [InlineData("aws-ap-northeast-1", "t3.medium", "gp3")]
    [InlineData("gcp-europe-west2", "e2-medium", "pd-balanced")]
    [InlineData("azure-koreacentral", "Standard_B2s", "PremiumSSD")]
    public async Task ARootDiskTypeOfTheConnectionsCloudPasses(string connection, string spec, string diskType)
    {
        var errors = await ValidateAsync(Spec(Pool(connection, spec) with { RootDiskType = diskType }, Pool("gcp-europe-west2", "e2-medium")));

        Assert.True(errors.IsValid, errors.ToString());
    }

    [Fact]
    public async Task AnotherCloudsRootDiskTypeIsAnErrorListingTheConnectionsTypes()
    {
        var errors = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium") with { RootDiskType = "pd-ssd" }, Pool("gcp-europe-west2", "e2-medium")));

        Assert.Equal(["controlPlane.rootDiskType"], errors.ByField.Keys);
        Assert.Equal("Root disk type 'pd-ssd' is not offered by aws (connection 'aws-ap-northeast-1'): use \"default\" or one of standard, gp2, gp3.",
            errors.First("controlPlane.rootDiskType"));
    }

    [Fact]
    public async Task ARootDiskOutsideItsTypesSizesIsAnError()
    {
        // IBM's general-purpose root volume is 100 to 250 GB (cloudos_meta.yaml:75-76 @v0.13.0).
        var errors = await ValidateAsync(Spec(Pool("aws-ap-northeast-1", "t3.medium"),
            Pool("ibm-jp-tok", "bx2-2x8") with { RootDiskType = "general-purpose", RootDiskSizeGb = 50 }));

        Assert.Equal("A general-purpose root disk on ibm is 100 to 250 GB (got 50).", errors.First("workerPools[0].rootDiskType"));
    }
}
