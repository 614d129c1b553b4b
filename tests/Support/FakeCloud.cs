using System.Collections.Concurrent;
using Ladybug.Engine.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ladybug.Tests.Support;

/// <summary>
/// The cloud boundary for console and API tests: a fixed catalog of connections in several CSPs and regions
/// (real coordinates), the same sizes on every connection (a test may set its own), a connection whose broker
/// fails, and machines kept in memory.
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

    /// <summary>A connection the catalog does not list, whose broker answers every spec request with an error.</summary>
    public const string BrokenConnection = "broken-connection";

    public static readonly IReadOnlyList<MachineSize> GenericSizes =
    [
        new("small-1c1g", 1, 1, 0.01), new("medium-2c4g", 2, 4, 0.05), new("large-4c8g", 4, 8, 0.10), new("xlarge-8c32g", 8, 32, 0.40),
    ];

    /// <summary>What every connection offers.</summary>
    public IReadOnlyList<MachineSize> Sizes { get; init; } = GenericSizes;

    private readonly ConcurrentDictionary<string, List<Machine>> _groups = new();

    public bool Reachable { get; set; } = true;
    public bool IsSandbox { get; set; } = true;

    /// <summary>Health checks never answer until cancelled, like a broker that accepts the connection and then says nothing.</summary>
    public bool Silent { get; set; }

    public async Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken)
    {
        if (Silent) await Task.Delay(Timeout.Infinite, cancellationToken);
        return new InfrastructureHealth(Reachable, "http://127.0.0.1:1323/tumblebug", IsSandbox, Reachable ? null : "connection refused");
    }

    public Task<IReadOnlyList<CloudConnection>> ListConnectionsAsync(CancellationToken cancellationToken) =>
        Reachable ? Task.FromResult(Connections) : throw new InfrastructureException("Tumblebug at http://127.0.0.1:1323 refused the connection.");

    public Task<IReadOnlyList<MachineSpec>> ListSpecsAsync(string connection, CancellationToken cancellationToken)
    {
        if (connection == BrokenConnection)
            throw new InfrastructureException("Tumblebug answered 500: connection refused by the CSP driver.");
        if (Connections.All(c => c.Name != connection))
            throw new InfrastructureException($"Connection '{connection}' does not exist.", notFound: true);
        return Task.FromResult<IReadOnlyList<MachineSpec>>(
            [.. Sizes.Select(s => new MachineSpec($"{connection}+{s.Name}", s.Name, connection, s.VCpu, s.MemoryGib, s.CostPerHour))]);
    }

    public Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, ClusterFirewall firewall,
        CreateCallRecord createCall, IProgress<string>? progress, CancellationToken cancellationToken) =>
        AddMachinesAsync(ns, groupId, pools, firewall, progress, cancellationToken);

    public Task<IReadOnlyList<Machine>> AddMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, ClusterFirewall firewall, IProgress<string>? progress, CancellationToken cancellationToken)
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

/// <summary>One size a fake connection offers.</summary>
public sealed record MachineSize(string Name, int VCpu, double MemoryGib, double CostPerHour);

public static class FakeCloudExtensions
{
    /// <summary>Replaces the console's cloud (the embedded sandbox or Tumblebug) with <paramref name="cloud"/>.</summary>
    public static IServiceCollection AddFakeCloud(this IServiceCollection services, FakeCloud? cloud = null)
    {
        services.RemoveAll<IInfrastructure>();
        if (cloud is null) services.AddSingleton<FakeCloud>();
        else services.AddSingleton(cloud);
        services.AddSingleton<IInfrastructure>(sp => sp.GetRequiredService<FakeCloud>());
        return services;
    }
}
