using Microsoft.Extensions.DependencyInjection.Extensions;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Support;

/// <summary>
/// Stand-in create handler for console tests that want a realistic run without SSH: machines come from
/// <see cref="IInfrastructure"/>, then scripted steps print lines like the real tools and move nodes and
/// phase the way the kubeadm handlers do, through the real JobContext, job log and events.
/// </summary>
public sealed class ScriptedProvisioning(IInfrastructure cloud, ISecretSealer sealer, TimeSpan stepDelay, int linesPerNode) : IJobHandler
{
    public JobKind Kind => JobKind.Create;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        new("create machines", true, CreateMachinesAsync),
        new("prepare nodes", true, (c, ct) => OnEveryNodeAsync(c, "install kubeadm", NodeStatus.Bootstrapping, ct)),
        new("init control plane", false, InitAsync),
        new("join nodes", true, (c, ct) => OnEveryNodeAsync(c, "kubeadm join", NodeStatus.Ready, ct, workersOnly: true)),
        new("fetch kubeconfig", true, FetchKubeconfigAsync),
    ];

    private async Task CreateMachinesAsync(JobContext context, CancellationToken cancellationToken)
    {
        await context.Record.SetPhaseAsync(ClusterPhase.Provisioning, cancellationToken: cancellationToken);
        await using var db = await context.OpenDbAsync(cancellationToken);
        var cluster = await JobContext.LoadClusterAsync(db, context.ClusterId, cancellationToken);
        cluster.InfraNamespace = cluster.Namespace;
        cluster.InfraId = cluster.Name;
        var requests = cluster.Pools.Select(p => new MachinePoolRequest(p.Name, p.Connection, p.Spec, p.Count, p.RootDiskType, p.RootDiskSizeGb, "22.04")).ToList();
        var machines = await cloud.CreateMachinesAsync(cluster.Namespace, cluster.Name, requests, TestFirewall.Cluster, new Progress<string>(m => context.Info(m)), cancellationToken);
        foreach (var machine in machines)
        {
            var pool = cluster.Pools.Single(p => p.Name == machine.PoolName);
            db.Nodes.Add(new Node
            {
                ClusterId = cluster.Id, PoolId = pool.Id, Name = machine.Id, Role = pool.Role, Connection = machine.Connection, Csp = machine.Csp,
                Region = machine.Region, Zone = machine.Zone, Latitude = machine.Latitude, Longitude = machine.Longitude, PublicIp = machine.PublicIp,
                PrivateIp = machine.PrivateIp, Spec = machine.Spec, Status = NodeStatus.Creating, CreatedAt = context.Time.GetUtcNow(),
            });
        }
        var leader = machines.First(m => m.PoolName == cluster.ControlPlanePool!.Name);
        cluster.LeaderNodeName = leader.Id;
        cluster.ApiEndpoint = $"https://{leader.PublicIp}:6443";
        await db.SaveChangesAsync(cancellationToken);
        context.Info($"{machines.Count} machines are running.");
    }

    private async Task OnEveryNodeAsync(JobContext context, string step, NodeStatus after, CancellationToken cancellationToken, bool workersOnly = false)
    {
        List<Node> nodes;
        await using (var db = await context.OpenDbAsync(cancellationToken))
            nodes = await db.Nodes.Where(n => n.ClusterId == context.ClusterId && n.DeletedAt == null).OrderBy(n => n.Name).ToListAsync(cancellationToken);
        foreach (var node in nodes.Where(n => !workersOnly || n.Role == NodeRole.Worker))
        {
            await context.RunOnNodeAsync(step, node.Name, async ct =>
            {
                for (var i = 1; i <= linesPerNode; i++)
                {
                    context.Output(node.Name, LogStream.Stdout, $"[{step}] {node.Name}: line {i} of {linesPerNode}");
                    await Task.Delay(stepDelay / Math.Max(1, linesPerNode), ct);
                }
                await context.Record.SetNodeStatusAsync(node.Name, after, cancellationToken: ct);
            }, cancellationToken);
        }
    }

    private async Task InitAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using var db = await context.OpenDbAsync(cancellationToken);
        var cluster = await JobContext.LoadClusterAsync(db, context.ClusterId, cancellationToken);
        await context.RunOnNodeAsync("kubeadm init", cluster.LeaderNodeName, async ct =>
        {
            context.Output(cluster.LeaderNodeName, LogStream.Stdout, "[init] Using Kubernetes version: v" + cluster.KubernetesVersion);
            context.Output(cluster.LeaderNodeName, LogStream.Stdout, "Your Kubernetes control-plane has initialized successfully!");
            await Task.Delay(stepDelay, ct);
            foreach (var node in cluster.Nodes.Where(n => n.Role == NodeRole.ControlPlane))
                await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Ready, cancellationToken: ct);
        }, cancellationToken);
    }

    private async Task FetchKubeconfigAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using var db = await context.OpenDbAsync(cancellationToken);
        var cluster = await JobContext.LoadClusterAsync(db, context.ClusterId, cancellationToken);
        cluster.SealedKubeconfig = sealer.Seal(Kubeconfig(cluster.Name, cluster.ApiEndpoint!));
        foreach (var node in cluster.Nodes) node.KubeletVersion = "v" + cluster.KubernetesVersion;
        await db.SaveChangesAsync(cancellationToken);
    }

    public static string Kubeconfig(string name, string server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: {server}
          name: {name}
        contexts:
        - context:
            cluster: {name}
            user: {name}-admin
          name: {name}-admin@{name}
        current-context: {name}-admin@{name}
        users:
        - name: {name}-admin
          user: {"{}"}
        """;

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.SetPhaseAtEnd(ClusterPhase.Provisioned);
        return Task.CompletedTask;
    }

    public async Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        await context.Record.SetPhaseAsync(ClusterPhase.Failed, failure.Reason, failure.Message, cancellationToken);
        return false;
    }
}

/// <summary>Deletes every machine and marks the cluster Deleted, like the real delete job.</summary>
public sealed class ScriptedDelete(IInfrastructure cloud) : IJobHandler
{
    public JobKind Kind => JobKind.DeleteCluster;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        new("delete machines", true, async (c, ct) =>
        {
            await using var db = await c.OpenDbAsync(ct);
            var cluster = await JobContext.LoadClusterAsync(db, c.ClusterId, ct);
            await cloud.DeleteAllAsync(cluster.Namespace, cluster.Name, ct);
            foreach (var node in cluster.Nodes.Where(n => n.DeletedAt is null))
                await c.Record.SetNodeStatusAsync(node.Name, NodeStatus.Deleted, cancellationToken: ct);
            c.Info($"Deleted the machines of {cluster.Name}.");
        }),
    ];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken) =>
        context.Record.SetPhaseAsync(ClusterPhase.Deleted, cancellationToken: cancellationToken);

    public async Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        await context.Record.SetPhaseAsync(ClusterPhase.Failed, failure.Reason, failure.Message, cancellationToken);
        return false;
    }
}

public static class ScriptedProvisioningExtensions
{
    /// <summary>Wires the fake cloud and the scripted handlers into a console under test.</summary>
    public static IServiceCollection AddScriptedCloud(this IServiceCollection services, TimeSpan stepDelay, int linesPerNode)
    {
        // Replaces the real cloud client and kubeadm handlers the console registers.
        services.AddFakeCloud();
        services.RemoveAll<IJobHandler>();
        services.AddSingleton<IJobHandler>(sp => new ScriptedProvisioning(sp.GetRequiredService<IInfrastructure>(), sp.GetRequiredService<ISecretSealer>(), stepDelay, linesPerNode));
        services.AddSingleton<IJobHandler>(sp => new ScriptedDelete(sp.GetRequiredService<IInfrastructure>()));
        return services;
    }
}
