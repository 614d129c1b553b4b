using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Api;

[Collection(McksApiCollection.Name)]
public sealed class ClustersApiTests(McksApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Admin;

    /// <summary>cb-mcks v0.7.0's documented ClusterReq, with one value picked where it lists choices and the NFS entry left empty.</summary>
    public static string McksSampleBody(string name, string cni = "kilo", string loadbalancer = "haproxy") => $$"""
        { "name": "{{name}}", "label": "", "description": "",
          "config": { "installMonAgent": "no",
            "kubernetes": { "version": "1.23.13", "networkCni": "{{cni}}",
              "podCidr": "10.244.0.0/16", "serviceCidr": "10.96.0.0/12", "serviceDnsDomain": "cluster.local",
              "storageclass": { "nfs": { "server": "", "path": "" } },
              "loadbalancer": "{{loadbalancer}}", "etcd": "local" } },
          "controlPlane": [ { "connection": "config-aws-ap-northeast-2", "count": 3, "spec": "t2.medium",
                              "rootDisk": { "type": "default", "size": "default" } } ],
          "worker": [ { "connection": "config-gcp-asia-northeast3", "count": 2, "spec": "n1-standard-2",
                        "rootDisk": { "type": "default", "size": "default" } } ] }
        """;

    private static string Clusters(string ns) => $"/mcks/ns/{ns}/clusters";

    [Fact]
    public async Task ListOfAnEmptyNamespaceIsAnEmptyClusterList()
    {
        var list = await (await _admin.GetAsync(Clusters(McksApiFixture.NewNamespace()))).ReadAsync<ClusterList>(HttpStatusCode.OK);

        Assert.Equal("ClusterList", list.Kind);
        Assert.Empty(list.Items);
    }

    [Theory]
    [InlineData("kilo", "haproxy")]
    [InlineData("canal", "haproxy")]
    public async Task CreateAcceptsTheMcksSampleBodyAndAnswers202WithThePendingCluster(string cni, string loadbalancer)
    {
        var ns = McksApiFixture.NewNamespace();

        var response = await _admin.PostJsonAsync(Clusters(ns), McksSampleBody("cluster-01", cni, loadbalancer));

        var cluster = await response.ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
        Assert.Equal($"/mcks/ns/{ns}/clusters/cluster-01", response.Headers.Location?.OriginalString);
        Assert.Equal(("cluster-01", "Cluster", "Pending"), (cluster.Name, cluster.Kind, cluster.Status.Phase));
        // Its create job is queued: it can be cancelled or deleted, nothing else yet.
        Assert.Equal(["cancel", "delete"], cluster.Status.Actions);
        Assert.Equal((ns, "1.23.13", cni, loadbalancer, "local", "no"),
            (cluster.Namespace, cluster.K8sVersion, cluster.NetworkCni, cluster.Loadbalancer, cluster.Etcd, cluster.InstallMonAgent));
        var stored = await fixture.Services.GetRequiredService<ClusterQueries>().GetAsync(ns, "cluster-01");
        Assert.NotNull(stored);
        Assert.Equal(3, stored.ControlPlanePool!.Count);
        var worker = Assert.Single(stored.Pools, p => p.Role == NodeRole.Worker);
        Assert.Equal(("config-gcp-asia-northeast3", 2, "n1-standard-2", "default", (int?)null),
            (worker.Connection, worker.Count, worker.Spec, worker.RootDiskType, worker.RootDiskSizeGb));
    }

    [Fact]
    public async Task CreateWithoutConfigGetsTheMcksDefaults()
    {
        var ns = McksApiFixture.NewNamespace();
        const string body = """
            { "name": "defaults",
              "controlPlane": [ { "connection": "c1", "count": 1, "spec": "t3.medium" } ],
              "worker": [ { "connection": "c2", "count": 1, "spec": "n1-standard-2", "rootDisk": { "size": 80 } },
                          { "connection": "c3", "count": "2", "spec": "s3", "rootDisk": { "type": "gp3", "size": "120" } } ] }
            """;

        await (await _admin.PostJsonAsync(Clusters(ns), body)).ReadAsync<ClusterResource>(HttpStatusCode.Accepted);

        var stored = (await fixture.Services.GetRequiredService<ClusterQueries>().GetAsync(ns, "defaults"))!;
        Assert.Equal((KubernetesVersionCatalog.DefaultVersion, Cni.Kilo, LoadBalancerMode.Haproxy), (stored.KubernetesVersion, stored.Cni, stored.LoadBalancer));
        Assert.Equal(("10.244.0.0/16", "10.96.0.0/12", "cluster.local"), (stored.PodCidr, stored.ServiceCidr, stored.DnsDomain));
        var workers = stored.Pools.Where(p => p.Role == NodeRole.Worker).OrderBy(p => p.Name).ToList();
        Assert.Equal([("default", (int?)80, 1), ("gp3", 120, 2)], workers.Select(w => (w.RootDiskType, w.RootDiskSizeGb, w.Count)));
    }

    [Fact]
    public async Task CreateReportsTheValidatorsErrorsUnderMcksFieldNames()
    {
        const string body = """
            { "name": "Bad_Name",
              "config": { "kubernetes": { "version": "1.99.0", "podCidr": "10.244.0.1/16", "serviceCidr": "10.96.0.0/8",
                                          "serviceDnsDomain": "Cluster..Local", "networkCni": "weave", "loadbalancer": "f5" } },
              "controlPlane": [ { "connection": "", "count": 2, "spec": "t3.medium", "rootDisk": { "size": "5" } } ],
              "worker": [ { "connection": "c", "count": 0, "spec": "" } ] }
            """;

        var status = await (await _admin.PostJsonAsync(Clusters(McksApiFixture.NewNamespace()), body)).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(status.Errors);
        Assert.Equal(
            ["config.kubernetes.loadbalancer", "config.kubernetes.networkCni", "config.kubernetes.podCidr", "config.kubernetes.serviceCidr",
             "config.kubernetes.serviceDnsDomain", "config.kubernetes.version", "controlPlane[0].connection", "controlPlane[0].count",
             "controlPlane[0].rootDisk.size", "name", "worker[0].count", "worker[0].spec"],
            status.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("odd number", status.Errors["controlPlane[0].count"][0]);
        Assert.Contains("worker[0].count", status.Message);
    }

    [Theory]
    [InlineData("""{ "name": "x", "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "controlPlane", "Exactly one control-plane entry")]
    [InlineData("""{ "name": "x", "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" }, { "connection": "d", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "controlPlane", "Only one control-plane entry")]
    [InlineData("""{ "name": "x", "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "worker", "at least one worker")]
    [InlineData("""{ "name": "x", "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [] }""", "worker", "at least one worker")]
    [InlineData("""{ "name": "x", "config": { "kubernetes": { "etcd": "external" } }, "controlPlane": [ { "connection": "c", "count": 3, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "config.kubernetes.etcd", "External etcd is not supported")]
    [InlineData("""{ "name": "x", "config": { "kubernetes": { "etcd": "remote" } }, "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "config.kubernetes.etcd", "etcd must be \"local\"")]
    [InlineData("""{ "name": "x", "config": { "kubernetes": { "storageclass": { "nfs": { "server": "1.2.3.4", "path": "/nfs/data" } } } }, "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "config.kubernetes.storageclass.nfs", "NFS storage class")]
    [InlineData("""{ "name": "x", "config": { "installMonAgent": "yes" }, "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "config.installMonAgent", "monitoring agent")]
    [InlineData("""{ "name": "x", "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s", "rootDisk": { "size": "big" } } ] }""", "worker[0].rootDisk.size", "whole number of GB")]
    [InlineData("""{ "name": "x", "controlPlane": [ { "connection": "c", "count": "three", "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "controlPlane[0].count", "whole number")]
    [InlineData("""{ "name": "x", "config": { "kubernetes": { "loadbalancer": "nlb" } }, "controlPlane": [ { "connection": "c", "count": 3, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""", "config.kubernetes.loadbalancer", "Load balancer must be haproxy")]
    public async Task CreateRejectsWhatMcksOrLadybugCannotDoWithAFieldError(string body, string field, string message)
    {
        var ns = McksApiFixture.NewNamespace();

        var status = await (await _admin.PostJsonAsync(Clusters(ns), body)).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(status.Errors);
        Assert.Contains(message, Assert.Contains(field, status.Errors)[0], StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await (await _admin.GetAsync(Clusters(ns))).ReadAsync<ClusterList>(HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task AMissingControlPlaneIsReportedOnceNotAsMissingFieldsOfAnInventedEntry()
    {
        const string body = """{ "name": "x", "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""";

        var status = await (await _admin.PostJsonAsync(Clusters(McksApiFixture.NewNamespace()), body)).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["controlPlane"], status.Errors!.Keys);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{ \"name\": ", "not valid JSON")]
    [InlineData("<cluster/>", "not valid JSON")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("\"cluster\"", "must be a JSON object")]
    public async Task CreateAnswersMalformedBodiesWith400Status(string body, string message)
    {
        var status = await (await _admin.PostJsonAsync(Clusters(McksApiFixture.NewNamespace()), body)).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains(message, status.Message);
    }

    [Fact]
    public async Task CreateRefusesABodySentWithoutAJsonContentTypeLikeCurlData()
    {
        // A cross-site form can send exactly this; scripts add -H 'Content-Type: application/json' (issue 16, item 3).
        var content = new StringContent(McksSampleBody("form-typed"));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var response = await _admin.PostAsync(Clusters(McksApiFixture.NewNamespace()), content);

        var status = await response.ReadStatusAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", status.Message);
    }

    [Fact]
    public async Task CreateRejectsANameAlreadyInUseInTheNamespace()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "taken");

        var status = await (await _admin.PostJsonAsync(Clusters(ns), McksSampleBody("taken"))).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains("already exists", Assert.Contains("name", status.Errors!)[0]);
    }

    [Fact]
    public async Task CreateRejectsAnInvalidNamespace()
    {
        var status = await (await _admin.PostJsonAsync(Clusters("Not_A_Namespace"), McksSampleBody("ok"))).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains("namespace", status.Errors!.Keys);
    }

    [Fact]
    public async Task CreateRejectsAWaitValueThatIsNotYesOrNo()
    {
        var status = await (await _admin.PostJsonAsync($"{Clusters(McksApiFixture.NewNamespace())}?wait=soon", McksSampleBody("w"))).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains("wait", status.Errors!.Keys);
    }

    [Fact]
    public async Task GetReturnsTheWatchedHealthApartFromThePhaseAndEachNodesReadiness()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "watched");
        var since = new DateTimeOffset(2026, 12, 6, 12, 3, 0, TimeSpan.Zero);
        await using (var db = await fixture.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync())
        {
            var cluster = await db.Clusters.Include(c => c.Nodes).SingleAsync(c => c.Id == seeded.Id);
            (cluster.Health, cluster.HealthReason, cluster.WatchMode) = (ClusterHealth.Degraded, "node watched-w1-1 Unknown since 12:03 (NodeStatusUnknown)", ClusterWatchMode.Ssh);
            var worker = cluster.Nodes.Single(n => n.Role == NodeRole.Worker);
            (worker.Readiness, worker.ReadinessReason, worker.ReadinessSince, worker.KubeletVersion, worker.Cordoned) =
                (NodeReadiness.Unknown, "NodeStatusUnknown", since, "v1.23.17", true);
            cluster.Nodes.Single(n => n.Role == NodeRole.ControlPlane).EtcdHealth = EtcdMemberHealth.Healthy;
            await db.SaveChangesAsync();
        }

        var resource = await (await _admin.GetAsync($"{Clusters(ns)}/watched")).ReadAsync<ClusterResource>(HttpStatusCode.OK);

        Assert.Equal(("Provisioned", "Degraded", "node watched-w1-1 Unknown since 12:03 (NodeStatusUnknown)", "ssh"),
            (resource.Status.Phase, resource.Status.Health, resource.Status.HealthReason, resource.Status.WatchMode));
        var node = resource.Nodes.Single(n => n.Role == "worker");
        Assert.Equal(("Unknown", "NodeStatusUnknown", since, "v1.23.17", true, ""),
            (node.Readiness, node.ReadinessReason, node.ReadinessSince, node.KubeletVersion, node.Cordoned, node.EtcdHealth));
        Assert.Equal("Healthy", resource.Nodes.Single(n => n.Role == "control-plane").EtcdHealth);
    }

    [Fact]
    public async Task GetReturnsTheClusterWithItsNodesInMcksShape()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "alpha");

        var cluster = await (await _admin.GetAsync($"{Clusters(ns)}/alpha")).ReadAsync<ClusterResource>(HttpStatusCode.OK);

        Assert.Equal(("Provisioned", "alpha-infra", "alpha-cp-1", "cp"), (cluster.Status.Phase, cluster.Mcis, cluster.CpLeader, cluster.CpGroup));
        Assert.Equal(["addNodes", "removeNode", "renewCertificates", "delete", "downloadKubeconfig"], cluster.Status.Actions);
        Assert.Equal(["control-plane", "worker"], cluster.Nodes.Select(n => n.Role));
        var cp = cluster.Nodes[0];
        Assert.Equal(("Node", "alpha-cp-1", "203.0.113.10", "10.0.0.10", "t3.medium", "aws"), (cp.Kind, cp.Name, cp.PublicIp, cp.PrivateIp, cp.Spec, cp.Csp));
        Assert.Equal(("topology.cloud-barista.github.io/csp=aws", "topology.kubernetes.io/region=ap-northeast-2", "topology.kubernetes.io/zone=ap-northeast-2a"),
            (cp.CspLabel, cp.RegionLabel, cp.ZoneLabel));
        var list = await (await _admin.GetAsync(Clusters(ns))).ReadAsync<ClusterList>(HttpStatusCode.OK);
        Assert.Equal("alpha", Assert.Single(list.Items).Name);
    }

    [Fact]
    public async Task GetOfAnUnknownClusterIs404()
    {
        var status = await (await _admin.GetAsync($"{Clusters("default")}/nobody-{Guid.NewGuid():N}"[..40])).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Contains("was not found", status.Message);
    }

    [Fact]
    public async Task DeleteAnswers202AndTheClusterIsDeleting()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "doomed");

        var status = await (await _admin.DeleteAsync($"{Clusters(ns)}/doomed")).ReadStatusAsync(HttpStatusCode.Accepted);

        Assert.Contains("is being deleted", status.Message);
        var cluster = await (await _admin.GetAsync($"{Clusters(ns)}/doomed")).ReadAsync<ClusterResource>(HttpStatusCode.OK);
        Assert.Equal("Deleting", cluster.Status.Phase);
        Assert.Empty(cluster.Status.Actions);
    }

    [Fact]
    public async Task DeleteOfAMissingClusterIs404()
    {
        var status = await (await _admin.DeleteAsync($"{Clusters(McksApiFixture.NewNamespace())}/ghost")).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Contains("'ghost'", status.Message);
    }

    [Fact]
    public async Task KubeconfigIs404UntilTheClusterIsProvisioned()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.PendingAsync(fixture.Services, ns, "young");

        var status = await (await _admin.GetAsync($"{Clusters(ns)}/young/kubeconfig")).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Contains("Pending", status.Message);
        await (await _admin.GetAsync($"{Clusters(ns)}/missing/kubeconfig")).ReadStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task KubeconfigOfAProvisionedClusterIsYamlAndEveryDownloadIsAudited()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "ready");

        var response = await _admin.GetAsync($"{Clusters(ns)}/ready/kubeconfig");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ClusterSeeder.Kubeconfig, await response.Content.ReadAsStringAsync());
        var audit = await ClusterSeeder.AuditAsync(fixture.Services);
        Assert.Contains(audit, a => a.ClusterId == seeded.Id && a.User == TestConsole.AdminUser && a.Action == "kubeconfig.download");
    }

    [Fact]
    public async Task LogsReturnTheStoredLinesAfterASequenceNumber()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "chatty");
        await ClusterSeeder.AppendLogAsync(fixture.Services, seeded.Id, "first", "second", "third");

        var all = await (await _admin.GetAsync($"{Clusters(ns)}/chatty/logs")).ReadAsync<LogList>(HttpStatusCode.OK);
        var tail = await (await _admin.GetAsync($"{Clusters(ns)}/chatty/logs?afterSequence={all.Items[0].Sequence}&limit=1")).ReadAsync<LogList>(HttpStatusCode.OK);

        Assert.Equal("LogList", all.Kind);
        Assert.Equal(["first", "second", "third"], all.Items.Select(l => l.Text));
        Assert.Equal("second", Assert.Single(tail.Items).Text);
        Assert.Equal("Stdout", tail.Items[0].Stream);
    }

    [Theory]
    [InlineData("afterSequence=-1", "afterSequence")]
    [InlineData("afterSequence=x", "afterSequence")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    public async Task LogsRejectBadPaging(string query, string field)
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "paged");

        var status = await (await _admin.GetAsync($"{Clusters(ns)}/paged/logs?{query}")).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains(field, status.Errors!.Keys);
    }

    [Fact]
    public async Task LogsOfAnUnknownClusterAre404() =>
        await (await _admin.GetAsync($"{Clusters(McksApiFixture.NewNamespace())}/nobody/logs")).ReadStatusAsync(HttpStatusCode.NotFound);

    [Theory]
    [InlineData("GET", "/mcks/nothing-here")]
    [InlineData("PUT", "/mcks/ns/default/clusters")]
    [InlineData("PATCH", "/mcks/ns/default/clusters/x/nodes/y")]
    public async Task RoutesMcksNeverHadAre404Status(string method, string path)
    {
        var status = await (await _admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Contains("not a route of the MCKS API", status.Message);
    }
}
