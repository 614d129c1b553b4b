using System.Net;
using System.Security.Authentication;
using System.Text;
using k8s;
using k8s.Autorest;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Certificates;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>An HA sandbox cluster (3 control planes, 1 worker) the engine provisioned, for the certificate tests.</summary>
public sealed class CertificateCluster : IAsyncLifetime
{
    public SandboxEngine Engine { get; } = new();
    public Guid Id { get; private set; }
    public IReadOnlyList<Node> Nodes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Engine.InitializeAsync();
        var created = await Engine.Clusters.CreateAsync(new ClusterSpec
        {
            Name = "certs",
            KubernetesVersion = "1.23.17",
            Cni = Cni.Canal,
            ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 3 },
            WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
        });
        var cluster = await Engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);
        if (cluster.Phase != ClusterPhase.Provisioned) throw new InvalidOperationException($"{cluster.Reason}: {cluster.Message}");
        Id = created.Id;
        Nodes = await Engine.NodesAsync(created.Id);
    }

    public Task DisposeAsync() => Engine.DisposeAsync();

    public string InfraId => Engine.Sandbox.Machines.Single(m => m.Address == Nodes.First().PublicIp).InfraId;
}

/// <summary>
/// Certificate expiry and renewal against the sandbox, whose certificates live as long as kubeadm's: read from a fresh
/// cluster, aged by the sandbox, renewed by the engine's job, and refused by the API server once expired. Every test
/// that ages the certificates renews them before it ends, so the tests need no order.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class CertificateRenewalSandboxTests(CertificateCluster cluster) : IClassFixture<CertificateCluster>
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private static readonly TimeSpan Window = new CertificateOptions().WarningWindow;

    private SandboxEngine Engine => cluster.Engine;
    private CertificateChecker Checker => Engine.Services.GetRequiredService<CertificateChecker>();

    [Fact]
    public async Task AProvisionedClustersCertificatesAreReadAndExpireInAYear()
    {
        var stored = await Engine.Queries.GetAsync(cluster.Id) ?? throw new InvalidOperationException("cluster vanished");

        Assert.NotNull(stored.CertificatesCheckedAt);
        Assert.Null(stored.CertificatesCheckMessage);
        AboutAYearFromNow(stored.ApiServerCertificateExpiresAt);
        AboutAYearFromNow(stored.AdminCertificateExpiresAt);
        Assert.DoesNotContain(CertificateExpiry.Of(stored, Window, DateTimeOffset.UtcNow), c => c.ExpiresSoon);
        // Every control plane's API server answered the handshake.
        var reading = await Checker.CheckAsync(cluster.Id, CancellationToken.None);
        Assert.Equal(cluster.Nodes.Where(n => n.Role == NodeRole.ControlPlane).Select(n => n.Name), reading.Served.Select(s => s.NodeName));
    }

    [Fact]
    public async Task CertificatesAgedToTenDaysWarnAndTheRenewalJobBringsBackAYearWithAWorkingKubeconfig()
    {
        Assert.NotNull(await Engine.Sandbox.AgeCertificatesAsync(cluster.InfraId, DateTimeOffset.UtcNow.AddDays(10)));
        var reading = await Checker.CheckAsync(cluster.Id, CancellationToken.None);
        Assert.All(reading.Served, s => Assert.InRange(s.ExpiresAt, DateTimeOffset.UtcNow.AddDays(9), DateTimeOffset.UtcNow.AddDays(10)));
        var aged = await Engine.Queries.GetAsync(cluster.Id);
        var apiServer = Assert.Single(CertificateExpiry.Of(aged!, Window, DateTimeOffset.UtcNow), c => c.Name == CertificateExpiry.ApiServer);
        Assert.True(apiServer.ExpiresSoon);
        Assert.False(apiServer.Expired);

        var renewed = await RenewAsync();

        Assert.Equal(JobState.Succeeded, renewed.Job.State);
        AboutAYearFromNow(renewed.Cluster.ApiServerCertificateExpiresAt);
        AboutAYearFromNow(renewed.Cluster.AdminCertificateExpiresAt);
        Assert.False(CertificateExpiry.ExpiresSoon(renewed.Cluster, Window, DateTimeOffset.UtcNow));
        Assert.Equal(["renew-certificates", "fetch-kubeconfig", "check-certificates"],
            (await Engine.Queries.StepsAsync(renewed.Job.Id)).Where(s => s.NodeName is null).Select(s => s.Name));
        // One control plane at a time, the leader first.
        var perNode = (await Engine.Queries.StepsAsync(renewed.Job.Id)).Where(s => s.Name == "renew-certificates" && s.NodeName is not null).OrderBy(s => s.StartedAt).ToList();
        Assert.Equal(["cp-1", "cp-2", "cp-3"], perNode.Select(s => s.NodeName));
        Assert.All(perNode.Zip(perNode.Skip(1)), pair => Assert.True(pair.First.FinishedAt <= pair.Second.StartedAt));

        // The downloaded kubeconfig carries the renewed client certificate, and the API server accepts it.
        var kubeconfig = await Engine.Queries.ReadKubeconfigAsync(cluster.Id, "test") ?? throw new InvalidOperationException("no kubeconfig");
        AboutAYearFromNow(AdminCertificate.ExpiresAt(kubeconfig));
        using var client = SandboxKubeApiTests.Client(kubeconfig);
        var nodes = await client.CoreV1.ListNodeAsync();
        Assert.Equal(cluster.Nodes.Select(n => n.Name).Order(), nodes.Items.Select(n => n.Metadata.Name).Order());
    }

    [Fact]
    public async Task ExpiredCertificatesFailTheHandshakeAndAuthenticationUntilRenewed()
    {
        var before = await Engine.Queries.ReadKubeconfigAsync(cluster.Id, "test") ?? throw new InvalidOperationException("no kubeconfig");
        await Engine.Sandbox.AgeCertificatesAsync(cluster.InfraId, DateTimeOffset.UtcNow.AddDays(-1));
        await Checker.CheckAsync(cluster.Id, CancellationToken.None);
        var expired = await Engine.Queries.GetAsync(cluster.Id);
        Assert.Contains(CertificateExpiry.Of(expired!, Window, DateTimeOffset.UtcNow), c => c.Name == CertificateExpiry.ApiServer && c.Expired);

        // The client checks the server's certificate: an expired one fails the handshake, as against a real API server.
        using (var client = SandboxKubeApiTests.Client(before))
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => client.CoreV1.ListNodeAsync());
            Assert.True(Contains<AuthenticationException>(error), error.ToString());
        }
        // The leader's own admin.conf now holds an expired client certificate: kube-apiserver answers 401 to it.
        var leader = cluster.Nodes.Single(n => n.Name == "cp-1");
        var onLeader = (await Engine.RunOnAsync(leader, "cat /etc/kubernetes/admin.conf")).Output;
        var outside = Kubeconfig.RewriteServer(onLeader, $"https://{leader.PublicIp}:6443");
        Assert.True(AdminCertificate.ExpiresAt(outside) < DateTimeOffset.UtcNow);
        using (var client = ClientIgnoringTheServersDates(outside))
        {
            var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNodeAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        }

        var renewed = await RenewAsync();

        Assert.Equal(JobState.Succeeded, renewed.Job.State);
        // kubeadm cannot read its configuration with the expired admin.conf and falls back, as it says.
        Assert.Contains("[renew] Error reading configuration from the Cluster. Falling back to default configuration", await Engine.LogAsync(cluster.Id));
        var kubeconfig = await Engine.Queries.ReadKubeconfigAsync(cluster.Id, "test") ?? throw new InvalidOperationException("no kubeconfig");
        using var working = SandboxKubeApiTests.Client(kubeconfig);
        Assert.NotEmpty((await working.CoreV1.ListNodeAsync()).Items);
    }

    [Fact]
    public async Task ARenewalThatFailsOnTheSecondControlPlaneStopsThereAndSaysWhyWhileTheFirstServesItsNewCertificate()
    {
        await Engine.Sandbox.AgeCertificatesAsync(cluster.InfraId, DateTimeOffset.UtcNow.AddDays(10));
        var kubeconfig = await Engine.Queries.ReadKubeconfigAsync(cluster.Id, "test") ?? throw new InvalidOperationException("no kubeconfig");
        Engine.Sandbox.Control.Faults = new SandboxFaults { FailSteps = [new StepFault { Step = "renew-certificates", Node = "cp-2", Times = 0, ExitCode = 3 }] };
        try
        {
            var failed = await RenewAsync();

            Assert.Equal(JobState.Failed, failed.Job.State);
            Assert.Contains("Step 'renew-certificates' failed on node cp-2 with exit code 3.", failed.Job.Error);
            // The cluster stays in service and says what happened.
            Assert.Equal(ClusterPhase.Provisioned, failed.Cluster.Phase);
            Assert.Contains("Renewing the certificates failed at 'renew-certificates' (RenewCertificatesFailedReason)", failed.Cluster.Message);
            var steps = await Engine.Queries.StepsAsync(failed.Job.Id);
            Assert.Equal(["cp-1", "cp-2"], steps.Where(s => s.Name == "renew-certificates" && s.NodeName is not null).OrderBy(s => s.StartedAt).Select(s => s.NodeName));
            Assert.DoesNotContain(steps, s => s.Name == "fetch-kubeconfig");
            // No node is marked failed: they all still serve.
            Assert.DoesNotContain(await Engine.NodesAsync(cluster.Id), n => n.Status == NodeStatus.Failed);

            // cp-1 serves its renewed certificate; cp-2 (failed) and cp-3 (never reached) still serve the aged ones.
            var reading = await Checker.CheckAsync(cluster.Id, CancellationToken.None);
            AboutAYearFromNow(reading.Served.Single(s => s.NodeName == "cp-1").ExpiresAt);
            Assert.All(reading.Served.Where(s => s.NodeName != "cp-1"), s => Assert.True(s.ExpiresAt < DateTimeOffset.UtcNow.AddDays(11)));
            // The stored kubeconfig (not refreshed) still works against the first control plane.
            using var client = SandboxKubeApiTests.Client(kubeconfig);
            Assert.NotEmpty((await client.CoreV1.ListNodeAsync()).Items);
        }
        finally
        {
            Engine.Sandbox.Control.Faults = new SandboxFaults { UndefinedStatusRate = 0 };
        }

        var again = await RenewAsync();
        Assert.Equal(JobState.Succeeded, again.Job.State);
        AboutAYearFromNow(again.Cluster.ApiServerCertificateExpiresAt);
    }

    private async Task<(JobView Job, ClusterView Cluster)> RenewAsync()
    {
        var before = (await Engine.Queries.JobsAsync(cluster.Id)).Select(j => j.Id).ToHashSet();
        await Engine.Clusters.RenewCertificatesAsync(cluster.Id);
        var settled = await Engine.WaitForAsync(cluster.Id, (_, jobs) => jobs.Any(j => !before.Contains(j.Id)));
        var job = (await Engine.Queries.JobsAsync(cluster.Id)).Single(j => !before.Contains(j.Id));
        Assert.Equal(JobKind.RenewCertificates, job.Kind);
        return (job, settled);
    }

    private static void AboutAYearFromNow(DateTimeOffset? expiresAt)
    {
        Assert.NotNull(expiresAt);
        Assert.InRange(expiresAt.Value, DateTimeOffset.UtcNow + Year - TimeSpan.FromDays(1), DateTimeOffset.UtcNow + Year);
    }

    private static bool Contains<T>(Exception error) where T : Exception =>
        error is T || (error.InnerException is { } inner && Contains<T>(inner)) || (error is AggregateException all && all.InnerExceptions.Any(Contains<T>));

    /// <summary>The official client told to skip the server's certificate check, so the client certificate alone is judged.</summary>
    private static Kubernetes ClientIgnoringTheServersDates(string kubeconfig)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
        configuration.SkipTlsVerify = true;
        return new Kubernetes(configuration);
    }
}
