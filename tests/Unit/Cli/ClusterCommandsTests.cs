using System.Text.Json;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Web.Api;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

[Collection(LoopbackConsoleCollection.Name)]
public sealed class ClusterCommandsTests(McksApiFixture console) : LoopbackCliTests(console)
{
    private async Task<ClusterView> StoredAsync(string name) =>
        (await App.Services.GetRequiredService<ClusterQueries>().GetAsync(Namespace, name))!;

    [Fact]
    public async Task GetClusterPrintsATableOfTheNamespace()
    {
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "alpha");
        await ClusterSeeder.PendingAsync(App.Services, Namespace, "beta");

        var result = (await Run("get", "cluster")).Succeeded();

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("alpha ") && l.Contains("Provisioned") && l.Contains("1.23.13"));
        Assert.Contains(lines, l => l.StartsWith("beta ") && l.Contains("Pending"));
    }

    [Fact]
    public async Task GetClusterShowsTheWatchedHealthAndWhyItIsDegraded()
    {
        var seeded = await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "sick");
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync())
            await db.Clusters.Where(c => c.Id == seeded.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Health, ClusterHealth.Degraded).SetProperty(c => c.WatchMode, ClusterWatchMode.Ssh)
                .SetProperty(c => c.HealthReason, "node sick-w1-1 NotReady since 12:03 (KubeletNotReady)"));

        var result = (await Run("get", "cluster")).Succeeded();

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME +PHASE +HEALTH +VERSION", lines[0]);
        var sick = lines.Single(l => l.StartsWith("sick ", StringComparison.Ordinal));
        Assert.Matches(@"^sick +Provisioned +Degraded \(via SSH\) +1\.23\.13 ", sick);
        Assert.EndsWith("node sick-w1-1 NotReady since 12:03 (KubeletNotReady)", sick.TrimEnd());
    }

    [Fact]
    public async Task GetClusterByNameInJsonAndYamlUsesTheApisFieldNames()
    {
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "alpha");

        var json = (await Run("get", "cluster", "alpha", "-o", "json")).Succeeded();
        var yaml = (await Run("get", "cluster", "alpha", "-o", "yaml")).Succeeded();

        var cluster = JsonSerializer.Deserialize<ClusterResource>(json.Output, McksJson.Options)!;
        Assert.Equal(("alpha", "Provisioned", 2), (cluster.Name, cluster.Status.Phase, cluster.Nodes.Count));
        Assert.Contains("k8sVersion: 1.23.13", yaml.Output);
        Assert.Contains("installMonAgent: \"no\"", yaml.Output);
        Assert.Contains("cspLabel: topology.cloud-barista.github.io/csp=aws", yaml.Output);
    }

    [Fact]
    public async Task GetOfAnUnknownClusterPrintsTheServersMessageAndFails() =>
        (await Run("get", "cluster", "ghost")).Failed($"Cluster 'ghost' was not found in namespace '{Namespace}'.");

    [Fact]
    public async Task CreateClusterFromFlagsWithRepeatedWorkerPoolsAnswersPendingAtOnce()
    {
        var result = (await Run("create", "cluster", "--name", "flags",
            "--control-plane-connection", "config-aws-ap-northeast-2", "--control-plane-spec", "t3.medium", "--control-plane-count", "3",
            "--worker-connection", "config-gcp-asia-northeast3", "--worker-connection", "config-azure-koreacentral",
            "--worker-spec", "n1-standard-2", "--worker-spec", "Standard_B2s", "--worker-count", "2",
            "--version", "1.36.4", "--cni", "canal")).Succeeded();

        Assert.Contains("Cluster 'flags' accepted: Pending", result.Output);
        var stored = await StoredAsync("flags");
        Assert.Equal(("1.36.4", Cni.Canal, 3), (stored.KubernetesVersion, stored.Cni, stored.ControlPlanePool!.Count));
        Assert.Equal([("config-gcp-asia-northeast3", "n1-standard-2", 2), ("config-azure-koreacentral", "Standard_B2s", 2)],
            stored.Pools.Where(p => p.Role == NodeRole.Worker).OrderBy(p => p.Name).Select(p => (p.Connection, p.Spec, p.Count)));
    }

    [Fact]
    public async Task CreateClusterPrintsEveryFieldErrorAndFails()
    {
        var result = (await Run("create", "cluster", "--name", "bad", "--control-plane-connection", "c", "--control-plane-spec", "s",
            "--control-plane-count", "2", "--worker-connection", "w", "--worker-spec", "s", "--worker-count", "0")).Failed("The request was rejected (400):");

        Assert.Contains("  controlPlane[0].count: A control plane needs an odd number of nodes", result.Error);
        Assert.Contains("  worker[0].count: Worker count must be between 1 and 100 (got 0).", result.Error);
        Assert.Null(await App.Services.GetRequiredService<ClusterQueries>().GetAsync(Namespace, "bad"));
    }

    [Fact]
    public async Task CreateClusterWithACloudNlbIsRefusedOnItsField()
    {
        var result = (await Run("create", "cluster", "--name", "nlb", "--control-plane-connection", "c", "--control-plane-spec", "s",
            "--control-plane-count", "3", "--worker-connection", "w", "--worker-spec", "s", "--loadbalancer", "nlb")).Failed("The request was rejected (400):");

        Assert.Contains("  config.kubernetes.loadbalancer: Load balancer must be haproxy", result.Error);
        Assert.Null(await App.Services.GetRequiredService<ClusterQueries>().GetAsync(Namespace, "nlb"));
    }

    [Fact]
    public async Task CreateClusterWithoutANameFailsBeforeCallingTheServer() =>
        (await Run("create", "cluster", "--worker-connection", "w")).Failed("Name the cluster with --name");

    [Fact]
    public async Task MismatchedWorkerFlagsAreAUsageError() =>
        (await Run("create", "cluster", "--name", "x", "--worker-connection", "a", "--worker-connection", "b", "--worker-connection", "c",
            "--worker-spec", "s1", "--worker-spec", "s2")).Failed("3 worker pools but 2 --worker-spec values");

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    [InlineData("stdin")]
    public async Task CreateClusterFromAnMcksRequestFile(string source)
    {
        var body = ClustersApiTests.McksSampleBody("from-file");
        var file = Path.Combine(Cli.Home, $"cluster.{source}");
        if (source == "yaml")
            body = """
                name: from-file
                config:
                  installMonAgent: "no"
                  kubernetes:
                    version: 1.23.13
                    networkCni: canal
                    etcd: local
                controlPlane:
                  - connection: config-aws-ap-northeast-2
                    count: 3
                    spec: t2.medium
                    rootDisk: { type: default, size: default }
                worker:
                  - connection: config-gcp-asia-northeast3
                    count: 2
                    spec: n1-standard-2
                    rootDisk: { type: default, size: 50 }
                """;
        await File.WriteAllTextAsync(file, body);

        var result = source == "stdin"
            ? await Cli.RunWithInputAsync(body, "create", "cluster", "-f", "-", "-n", Namespace, "-o", "json")
            : await Run("create", "cluster", "-f", file, "-o", "json");

        var cluster = JsonSerializer.Deserialize<ClusterResource>(result.Succeeded().Output, McksJson.Options)!;
        Assert.Equal(("from-file", "Pending"), (cluster.Name, cluster.Status.Phase));
        var stored = await StoredAsync("from-file");
        Assert.Equal(3, stored.ControlPlanePool!.Count);
        Assert.Equal(2, stored.Pools.Single(p => p.Role == NodeRole.Worker).Count);
    }

    [Fact]
    public async Task FlagsOverrideTheFile()
    {
        var file = Path.Combine(Cli.Home, "cluster.json");
        await File.WriteAllTextAsync(file, ClustersApiTests.McksSampleBody("in-file"));

        (await Run("create", "cluster", "-f", file, "--name", "renamed", "--control-plane-count", "1")).Succeeded();

        Assert.Equal(1, (await StoredAsync("renamed")).ControlPlanePool!.Count);
    }

    [Fact]
    public async Task AnUnreadableFileIsReported()
    {
        var file = Path.Combine(Cli.Home, "broken.yaml");
        await File.WriteAllTextAsync(file, "name: [unclosed");

        (await Run("create", "cluster", "-f", file)).Failed("is not valid YAML");
        (await Run("create", "cluster", "-f", Path.Combine(Cli.Home, "missing.yaml"))).Failed("Cannot read");
    }

    [Fact]
    public async Task DeleteClusterAnswersAtOnceAndAMissingOneFails()
    {
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "doomed");

        var result = (await Run("delete", "cluster", "doomed")).Succeeded();

        Assert.Contains("Cluster 'doomed' is being deleted", result.Output);
        Assert.Equal(ClusterPhase.Deleting, (await StoredAsync("doomed")).Phase);
        (await Run("delete", "cluster", "ghost")).Failed("Cluster 'ghost' was not found");
    }

    [Fact]
    public async Task RenewCertificatesQueuesTheRenewalAndRefusesAClusterThatIsNotProvisioned()
    {
        var seeded = await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "renewed");
        await ClusterSeeder.PendingAsync(App.Services, Namespace, "young");

        var result = (await Run("renew", "certificates", "renewed")).Succeeded();

        Assert.Contains("Renewing the certificates of 'renewed'. Follow it with: ladybug logs renewed -f", result.Output);
        var jobs = await App.Services.GetRequiredService<ClusterQueries>().JobsAsync(seeded.Id);
        Assert.Contains(jobs, j => j.Kind == Ladybug.Engine.Domain.JobKind.RenewCertificates);
        (await Run("renew", "certificates", "young")).Failed("Cannot renew the certificates of cluster 'young' while it is Pending; it must be Provisioned.");
    }

    [Fact]
    public async Task KubeconfigIsAnErrorBeforeProvisionedAndTheYamlAfter()
    {
        await ClusterSeeder.PendingAsync(App.Services, Namespace, "young");
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "ready");

        (await Run("kubeconfig", "young")).Failed("has no kubeconfig yet: it is Pending");
        var result = (await Run("kubeconfig", "ready")).Succeeded();

        Assert.Equal(ClusterSeeder.Kubeconfig, result.Output);
    }

    [Fact]
    public async Task LogsPrintTheStoredLinesWithTheirNode()
    {
        var seeded = await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "chatty");
        await ClusterSeeder.AppendLogAsync(App.Services, seeded.Id, "one", "two");

        var result = (await Run("logs", "chatty")).Succeeded();

        Assert.Equal("one\ntwo\n", result.Output.ReplaceLineEndings("\n"));
        (await Run("logs", "ghost")).Failed("was not found");
    }

    [Fact]
    public async Task HealthyPrintsTheServersAnswer() =>
        Assert.Equal("cb-barista cb-mcks", (await Run("healthy")).Succeeded().Output.Trim());

    [Fact]
    public async Task OneWorkerSpecForPoolsOnDifferentCloudsIsRefusedBeforeAnythingIsSent()
    {
        var result = await Run("create", "cluster", "--name", "mixed", "--control-plane-connection", "aws-ap-northeast-1", "--control-plane-spec", "t2.medium",
            "--worker-connection", "aws-ap-northeast-1", "--worker-connection", "gcp-asia-northeast1", "--worker-spec", "t2.medium");

        result.Failed("One --worker-spec (t2.medium) cannot fit worker pools on different clouds (aws-ap-northeast-1, gcp-asia-northeast1)");
        Assert.Null(await App.Services.GetRequiredService<ClusterQueries>().GetAsync(Namespace, "mixed"));
    }

    [Theory]
    [InlineData("--control-plane-count", "three")]
    [InlineData("--worker-count", "2x")]
    [InlineData("--worker-count", "1.5")]
    public async Task AMistypedNodeCountIsASentenceNotADotNetTypeName(string option, string value)
    {
        var result = await Run("create", "cluster", "--name", "typo", "--control-plane-connection", "aws-ap-northeast-1", "--control-plane-spec", "t3.medium",
            "--worker-connection", "aws-ap-northeast-1", option, value);

        result.Failed($"{option} takes a whole number of nodes such as 3, not '{value}'.");
        Assert.DoesNotContain("System.", result.Error);
    }
}
