using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Ladybug.Engine;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Ladybug.Sandbox.KubeApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Engine.Watch;

/// <summary>
/// A watch that comes back after its API server forgot the resourceVersion it resumes from (410 Gone, as after etcd's
/// compaction) lists again and sees what changed meanwhile. The API is the sandbox's KubeApi code with objects set here.
/// </summary>
public sealed class ClusterWatchRelistTests : IAsyncLifetime
{
    private readonly ClusterApiStore _store = new();
    private readonly int _port = FreePort();
    private readonly X509Certificate2 _caWithKey;
    private readonly X509Certificate2 _serving;
    private readonly string _kubeconfig;
    private KubeApiServer? _server;
    private EngineHost _engine = null!;

    public ClusterWatchRelistTests()
    {
        using var caKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _caWithKey = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
        _serving = Issue("CN=kube-apiserver", "1.3.6.1.5.5.7.3.1", out _);
        using var client = Issue("CN=kubernetes-admin, O=system:masters", "1.3.6.1.5.5.7.3.2", out var clientKey);
        static string B64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        _kubeconfig = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:{_port}
                certificate-authority-data: {B64(_caWithKey.ExportCertificatePem())}
            users:
            - name: admin
              user:
                client-certificate-data: {B64(client.ExportCertificatePem())}
                client-key-data: {B64(clientKey)}
            contexts:
            - name: c
              context:
                cluster: c
                user: admin
            current-context: c
            """;
    }

    public async Task InitializeAsync()
    {
        Publish(ready: true, generation: 0);
        await StartServerAsync();
        _engine = await EngineHost.StartAsync(b => b.AddLadybugBootstrap(), new Dictionary<string, string?>
        {
            ["Ladybug:Watch:RequestTimeout"] = "00:00:02",
            ["Ladybug:Watch:RetryDelay"] = "00:00:00.100",
            ["Ladybug:Watch:MaxRetryDelay"] = "00:00:00.500",
            ["Ladybug:Watch:SshInterval"] = "00:00:00.500",
        });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    [Fact]
    public async Task AWatchResumedFromAForgottenResourceVersionListsAgainAndSeesTheChange()
    {
        var id = await RegisterAsync();
        await Eventually.ReturnsAsync(() => HealthAsync(id), h => h == ClusterHealth.Healthy, "the cluster Healthy", TimeSpan.FromSeconds(30));

        // The API server goes away (its SSH fallback has no key: Unreachable) while more than the 1,000 changes it
        // remembers happen, the last of which makes w-1 NotReady.
        await _server!.DisposeAsync();
        _server = null;
        _store.CloseWatches();
        await Eventually.ReturnsAsync(() => HealthAsync(id), h => h == ClusterHealth.Unreachable, "the cluster Unreachable", TimeSpan.FromSeconds(30));
        for (var generation = 1; generation <= 1_100; generation++) Publish(ready: true, generation);
        Publish(ready: false, generation: 1_101);
        await StartServerAsync();

        var degraded = await Eventually.ReturnsAsync(() => ClusterAsync(id), c => c.Health == ClusterHealth.Degraded, "the cluster Degraded", TimeSpan.FromSeconds(30));
        Assert.StartsWith("node w-1 NotReady since ", degraded.HealthReason);
        Assert.Equal(ClusterWatchMode.Api, degraded.WatchMode);
    }

    private void Publish(bool ready, int generation) => _store.Replace(
    [
        Node("cp-1", ready: true, generation),
        Node("w-1", ready, generation),
    ]);

    private static ApiObject Node(string name, bool ready, int generation) => new(KubeObjects.Nodes, "", name, new JsonObject
    {
        ["kind"] = "Node",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            // Something that changes with each generation, as a real node's annotations or heartbeats do.
            ["annotations"] = new JsonObject { ["generation"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = ready ? "True" : "False", ["reason"] = ready ? "KubeletReady" : "KubeletNotReady",
                ["lastTransitionTime"] = "2026-12-06T12:00:00Z",
            }),
            ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.30.14" },
        },
    });

    private async Task StartServerAsync()
    {
        var api = new KubeApiEndpoints(_store, () => "1.30.14", "127.0.0.1", TimeProvider.System);
        _server = await KubeApiServer.StartAsync(new IPEndPoint(IPAddress.Loopback, _port), _serving, X509CertificateLoader.LoadCertificate(_caWithKey.RawData),
            api, _ => true, () => 0, NullLoggerFactory.Instance, CancellationToken.None);
    }

    private async Task<Guid> RegisterAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var cluster = new Cluster { Name = "relist", KubernetesVersion = "1.30.14", CreatedAt = now, UpdatedAt = now, LeaderNodeName = "cp-1" };
        cluster.SetPhase(ClusterPhase.Provisioned, now);
        cluster.ApiEndpoint = $"https://127.0.0.1:{_port}";
        cluster.SealedKubeconfig = _engine.Get<ISecretSealer>().Seal(_kubeconfig);
        foreach (var (name, role) in new[] { ("cp-1", NodeRole.ControlPlane), ("w-1", NodeRole.Worker) })
            cluster.Nodes.Add(new Node { ClusterId = cluster.Id, Name = name, Role = role, Status = NodeStatus.Ready, PublicIp = "127.0.0.1", CreatedAt = now });
        await using (var db = await _engine.Get<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync())
        {
            db.Clusters.Add(cluster);
            await db.SaveChangesAsync();
        }
        _engine.Get<IProvisioningEvents>().Publish(new PhaseChanged(cluster.Id, ClusterPhase.Provisioned, null, null));
        return cluster.Id;
    }

    private async Task<Cluster> ClusterAsync(Guid id)
    {
        await using var db = await _engine.Get<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        return await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private async Task<ClusterHealth?> HealthAsync(Guid id) => (await ClusterAsync(id)).Health;

    private X509Certificate2 Issue(string subject, string usage, out string keyPem)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(_caWithKey, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        keyPem = key.ExportRSAPrivateKeyPem();
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
