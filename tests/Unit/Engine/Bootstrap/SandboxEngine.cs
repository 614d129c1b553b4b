using System.Text;
using Ladybug.Engine;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Renci.SshNet;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// The real engine (job runner, SQLite, Tumblebug client, SSH remote shell, kubeadm plan) against a real sandbox cloud
/// (Tumblebug emulator, sshd VMs, node simulator), as the console runs them when no Tumblebug is configured.
/// Shared by the tests of a class: each test uses its own cluster name and sets the faults it needs.
/// </summary>
public sealed class SandboxEngine : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ladybug-sandbox-engine-" + Guid.NewGuid().ToString("N")[..8]);
    private IHost _host = null!;

    public SandboxCloud Sandbox { get; private set; } = null!;
    public IServiceProvider Services => _host.Services;
    public ClusterService Clusters => Services.GetRequiredService<ClusterService>();
    public ClusterQueries Queries => Services.GetRequiredService<ClusterQueries>();

    public async Task InitializeAsync()
    {
        // A short latency per step makes overlapping control-plane joins visible to the simulator.
        Sandbox = await TestSandbox.StartAsync(o => o.StepLatency = TimeSpan.FromMilliseconds(150));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ladybug:DataDir"] = _dataDir,
            ["Ladybug:Engine:LogFlushIntervalMs"] = "5",
            ["Ladybug:Tumblebug:Url"] = Sandbox.TumblebugUrl.ToString(),
            ["Ladybug:Tumblebug:User"] = Sandbox.User,
            ["Ladybug:Tumblebug:Password"] = Sandbox.Password,
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
            ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
            ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
            ["Ladybug:Ssh:ConnectWindow"] = "00:00:30",
            // The cluster watch notices a silent endpoint within a few seconds, and reads over SSH often.
            ["Ladybug:Watch:RequestTimeout"] = "00:00:02",
            ["Ladybug:Watch:WatchTimeout"] = "00:00:05",
            ["Ladybug:Watch:RetryDelay"] = "00:00:00.200",
            ["Ladybug:Watch:MaxRetryDelay"] = "00:00:01",
            ["Ladybug:Watch:SshInterval"] = "00:00:00.500",
            ["Ladybug:Watch:SshTimeout"] = "00:00:05",
        });
        builder.AddLadybugEngine();
        builder.AddTumblebugInfrastructure();
        builder.AddLadybugBootstrap();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    public Task<ClusterView> WaitForAsync(Guid clusterId, Func<ClusterView, IReadOnlyList<JobView>, bool> done) =>
        Queries.WaitForSettledAsync(clusterId, done, TimeSpan.FromSeconds(120));

    public Task<ClusterView> WaitForAsync(Guid clusterId, params ClusterPhase[] phases) =>
        WaitForAsync(clusterId, (cluster, _) => phases.Contains(cluster.Phase));

    public async Task<string> LogAsync(Guid clusterId)
    {
        var log = Services.GetRequiredService<IJobLog>();
        await log.FlushAsync();
        return string.Join('\n', (await log.ReadAsync(clusterId, 0, 1_000_000)).Select(l => l.Text));
    }

    public async Task<List<Node>> NodesAsync(Guid clusterId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        return await db.Nodes.AsNoTracking().Where(n => n.ClusterId == clusterId).OrderBy(n => n.Name).ToListAsync();
    }

    /// <summary>Runs a command on a node over SSH with the key the engine stored for it, as a person debugging would.</summary>
    internal async Task<CommandResult> RunOnAsync(Node node, string command)
    {
        var key = Services.GetRequiredService<ISecretSealer>().Unseal(node.SealedSshPrivateKey!);
        using var client = new SshClient(node.PublicIp!, node.SshPort, node.SshUser, new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(key))));
        client.Connect();
        return await SshSessions.RunAsync(client, command);
    }

    /// <summary>The VMs and sshd processes the sandbox still has for the cluster's Infra.</summary>
    public (IReadOnlyList<SandboxMachineInfo> Machines, IReadOnlyList<int> Sshds) Leftovers(string infraId) =>
        (Sandbox.Machines.Where(m => m.InfraId == infraId).ToList(),
         TestSandbox.SshdsUsing(Path.Combine(Sandbox.StateDirectory, "infras", "default", infraId)));
}
