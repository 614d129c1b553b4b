using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>
/// Writes clusters straight into the console's database, in the state the provisioning handlers would
/// leave them: machines with sealed SSH keys, a sealed kubeconfig, a leader. No job runs.
/// </summary>
public static class ClusterSeeder
{
    /// <summary>Distinctive so a response scan finds it if it ever leaks.</summary>
    public const string PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAseededapitestkey0123456789\n-----END OPENSSH PRIVATE KEY-----";
    public const string Kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: seeded\n  cluster:\n    server: https://203.0.113.10:6443\nusers:\n- name: admin\n  user:\n    client-key-data: c2VlZGVkLWt1YmVjb25maWcta2V5\n";

    public static ClusterSpec Spec(string ns, string name) => new()
    {
        Namespace = ns,
        Name = name,
        KubernetesVersion = "1.23.13",
        ControlPlane = new NodePoolSpec { Connection = "config-aws-ap-northeast-2", Count = 1, Spec = "t3.medium" },
        WorkerPools = [new NodePoolSpec { Connection = "config-gcp-asia-northeast3", Count = 1, Spec = "n1-standard-2" }],
    };

    /// <summary>A Provisioned cluster with a control-plane node (the leader) and a worker node.</summary>
    public static async Task<Cluster> ProvisionedAsync(IServiceProvider services, string ns, string name)
    {
        var sealer = services.GetRequiredService<ISecretSealer>();
        var now = DateTimeOffset.UtcNow;
        var cluster = Cluster.FromSpec(Spec(ns, name), now);
        cluster.InfraId = $"{name}-infra";
        cluster.LeaderNodeName = $"{name}-cp-1";
        cluster.SealedKubeconfig = sealer.Seal(Kubeconfig);
        cluster.SetPhase(ClusterPhase.Provisioned, now);
        foreach (var pool in cluster.Pools)
        {
            var role = pool.Role;
            cluster.Nodes.Add(new Node
            {
                ClusterId = cluster.Id, PoolId = pool.Id, Name = role == NodeRole.ControlPlane ? $"{name}-cp-1" : $"{name}-{pool.Name}-1",
                Role = role, Connection = pool.Connection, Csp = role == NodeRole.ControlPlane ? "aws" : "gcp",
                Region = role == NodeRole.ControlPlane ? "ap-northeast-2" : "asia-northeast3",
                Zone = role == NodeRole.ControlPlane ? "ap-northeast-2a" : "asia-northeast3-a",
                PublicIp = role == NodeRole.ControlPlane ? "203.0.113.10" : "198.51.100.20",
                PrivateIp = role == NodeRole.ControlPlane ? "10.0.0.10" : "10.1.0.20",
                Spec = pool.Spec, Status = NodeStatus.Ready, SealedSshPrivateKey = sealer.Seal(PrivateKey), CreatedAt = now,
            });
        }
        await SaveAsync(services, cluster);
        return cluster;
    }

    /// <summary>A cluster as create leaves it, before any job ran.</summary>
    public static async Task<Cluster> PendingAsync(IServiceProvider services, string ns, string name)
    {
        var cluster = Cluster.FromSpec(Spec(ns, name), DateTimeOffset.UtcNow);
        await SaveAsync(services, cluster);
        return cluster;
    }

    public static async Task AppendLogAsync(IServiceProvider services, Guid clusterId, params string[] lines)
    {
        var log = services.GetRequiredService<IJobLog>();
        foreach (var line in lines)
            log.Append(clusterId, null, null, "seeded", LogStream.Stdout, line);
        await log.FlushAsync();
    }

    public static async Task<IReadOnlyList<Ladybug.Engine.Domain.AuditEntry>> AuditAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().ToListAsync();
    }

    private static async Task SaveAsync(IServiceProvider services, Cluster cluster)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync();
    }
}
