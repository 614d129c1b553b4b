using System.Collections.Concurrent;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Tests.Support;

/// <summary>
/// The cloud boundary for console tests: a fixed catalog of connections in several CSPs and regions
/// (real coordinates) with specs, and machines kept in memory. The real Tumblebug client and the
/// sandbox cloud replace it once they are wired in.
/// </summary>
public sealed class FakeCloud : IInfrastructure
{
    public static readonly IReadOnlyList<CloudConnection> Connections =
    [
        new("aws-ap-northeast-1", "aws", "ap-northeast-1", "ap-northeast-1a", "Tokyo", 35.68, 139.77),
        new("aws-us-east-1", "aws", "us-east-1", "us-east-1a", "Virginia", 38.13, -78.45),
        new("gcp-europe-west2", "gcp", "europe-west2", "europe-west2-a", "London", 51.51, -0.13),
        new("gcp-asia-northeast3", "gcp", "asia-northeast3", "asia-northeast3-a", "Seoul", 37.57, 126.98),
        new("azure-koreacentral", "azure", "koreacentral", "1", "Seoul", 37.57, 126.98),
        new("azure-westeurope", "azure", "westeurope", "1", "Netherlands", 52.37, 4.90),
        new("alibaba-ap-southeast-1", "alibaba", "ap-southeast-1", "ap-southeast-1a", "Singapore", 1.35, 103.82),
        new("ibm-us-south", "ibm", "us-south", "us-south-1", "Dallas", 32.78, -96.80),
    ];

    private static readonly (string Name, int VCpu, double Memory, double Cost)[] Sizes =
    [
        ("small-1c1g", 1, 1, 0.01), ("medium-2c4g", 2, 4, 0.05), ("large-4c8g", 4, 8, 0.10), ("xlarge-8c32g", 8, 32, 0.40),
    ];

    private readonly ConcurrentDictionary<string, List<Machine>> _groups = new();

    public bool Reachable { get; set; } = true;
    public bool IsSandbox { get; set; } = true;

    public Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new InfrastructureHealth(Reachable, "http://127.0.0.1:1323/tumblebug", IsSandbox, Reachable ? null : "connection refused"));

    public Task<IReadOnlyList<CloudConnection>> ListConnectionsAsync(CancellationToken cancellationToken) =>
        Reachable ? Task.FromResult(Connections) : throw new InfrastructureException("Tumblebug at http://127.0.0.1:1323 refused the connection.");

    public Task<IReadOnlyList<MachineSpec>> ListSpecsAsync(string connection, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MachineSpec>>(Sizes.Select(s => new MachineSpec($"{connection}+{s.Name}", s.Name, connection, s.VCpu, s.Memory, s.Cost)).ToList());

    public Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, IProgress<string>? progress, CancellationToken cancellationToken) =>
        AddMachinesAsync(ns, groupId, pools, progress, cancellationToken);

    public Task<IReadOnlyList<Machine>> AddMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var group = _groups.GetOrAdd($"{ns}/{groupId}", _ => []);
        var created = new List<Machine>();
        lock (group)
        {
            foreach (var pool in pools)
            {
                var connection = Connections.Single(c => c.Name == pool.Connection);
                for (var i = 1; i <= pool.Count; i++)
                {
                    var n = group.Count + 1;
                    var machine = new Machine($"{groupId}-{pool.PoolName}-{i}", pool.PoolName, connection.Name, connection.Csp, connection.Region, connection.Zone,
                        connection.Latitude, connection.Longitude, "Running", $"127.0.9.{n}", $"10.0.0.{n}", 22, "cb-user", null, pool.Spec);
                    group.Add(machine);
                    created.Add(machine);
                    progress?.Report($"{machine.Id} is Running");
                }
            }
        }
        return Task.FromResult<IReadOnlyList<Machine>>(created);
    }

    public Task<IReadOnlyList<Machine>> GetMachinesAsync(string ns, string groupId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Machine>>(_groups.TryGetValue($"{ns}/{groupId}", out var group) ? [.. group] : []);

    public Task DeleteMachineAsync(string ns, string groupId, string machineId, CancellationToken cancellationToken)
    {
        if (_groups.TryGetValue($"{ns}/{groupId}", out var group))
            lock (group) group.RemoveAll(m => m.Id == machineId);
        return Task.CompletedTask;
    }

    public Task DeleteAllAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        _groups.TryRemove($"{ns}/{groupId}", out _);
        return Task.CompletedTask;
    }
}
