using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Ladybug.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>The names a create asks for (connections, specs, versions), as the CLI lists and reads them.</summary>
[Collection(LoopbackConsoleCollection.Name)]
public sealed class CatalogCommandsTests(Ladybug.Tests.Unit.Web.Api.McksApiFixture console) : LoopbackCliTests(console)
{
    private Task<CliResult> Create(string name, params string[] more) => Run(["create", "cluster", "--name", name,
        "--control-plane-connection", "aws-ap-northeast-1", "--control-plane-spec", "t3.medium",
        "--worker-connection", "gcp-europe-west2", "--worker-spec", "t3.small", .. more]);

    private async Task<string> StoredVersionAsync(string name) =>
        (await App.Services.GetRequiredService<ClusterQueries>().GetAsync(Namespace, name))!.KubernetesVersion;

    [Fact]
    public async Task GetConnectionsListsEveryConnectionByCloudWithItsRegionAndPlace()
    {
        var lines = (await Run("get", "connections")).Succeeded().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^NAME +CSP +REGION +ZONE +LOCATION$", lines[0].TrimEnd());
        Assert.Equal(FakeCloud.Connections.Count, lines.Length - 1);
        Assert.Matches(@"^aws-ap-northeast-1 +aws +ap-northeast-1 +ap-northeast-1a +Tokyo$", lines.Single(l => l.StartsWith("aws-ap-northeast-1 ", StringComparison.Ordinal)).TrimEnd());
        Assert.Equal(FakeCloud.Connections.OrderBy(c => c.Csp, StringComparer.Ordinal).ThenBy(c => c.Region, StringComparer.Ordinal).Select(c => c.Name),
            lines.Skip(1).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task GetSpecsOfAConnectionListsItsSizesSmallestFirstAndForAControlPlaneOnlyThoseItCanUse()
    {
        var all = (await Run("get", "specs", "--connection", "aws-ap-northeast-1")).Succeeded().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var controlPlane = (await Run("get", "specs", "--connection", "aws-ap-northeast-1", "--control-plane")).Succeeded().Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^NAME +VCPU +MEMORY\(GiB\) +USD/HOUR$", all[0].TrimEnd());
        Assert.Equal(["t3.micro", "t3.small", "t3.medium", "c5.xlarge", "m5.4xlarge"], all.Skip(1).Select(l => l.Split(' ')[0]));
        Assert.Matches(@"^t3\.medium +2 +4 +0\.0416$", all[3].TrimEnd());
        Assert.Equal(["t3.medium", "c5.xlarge", "m5.4xlarge"], controlPlane.Skip(1).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task GetSpecsOfAnUnknownConnectionSaysSo() =>
        (await Run("get", "specs", "--connection", "nowhere-1")).Failed("Connection 'nowhere-1' does not exist.");

    [Fact]
    public async Task GetSpecsWithoutAConnectionIsAUsageError() =>
        Assert.Equal(1, (await Run("get", "specs")).ExitCode);

    [Fact]
    public async Task ACreateWithoutVersionGetsTheWizardsDefault()
    {
        (await Create("plain")).Succeeded();

        Assert.Equal(new ClusterForm().KubernetesVersion, await StoredVersionAsync("plain"));
        Assert.Equal(KubernetesVersionCatalog.Minors[0].LatestVersion, await StoredVersionAsync("plain"));
    }

    [Theory]
    [InlineData("1.18")]
    [InlineData("v1.23")]
    public async Task AMinorAloneMeansItsNewestPatchTheConsoleSupports(string asked)
    {
        (await Create("minor", "--version", asked)).Succeeded();

        var minor = asked.TrimStart('v');
        Assert.Equal(KubernetesVersionCatalog.Minors.Single(m => m.Minor == minor).LatestVersion, await StoredVersionAsync("minor"));
    }

    [Fact]
    public async Task AMinorTheConsoleDoesNotSupportIsRefusedNamingTheChoices() =>
        (await Create("old", "--version", "1.17")).Failed("Kubernetes version '1.17' is not supported. Choose one of: ");
}
