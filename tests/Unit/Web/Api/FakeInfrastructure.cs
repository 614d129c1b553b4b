using Ladybug.Engine.Infrastructure;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>The cloud boundary for API tests: a fixed spec catalog per connection, and a connection whose broker fails.</summary>
public sealed class FakeInfrastructure : IInfrastructure
{
    public const string Connection = "config-aws-ap-northeast-2";
    public const string BrokenConnection = "config-broken";

    public IReadOnlyList<MachineSpec> Specs { get; init; } =
    [
        new("aws+t3.micro", "t3.micro", Connection, 1, 1, 0.0104),
        new("aws+t3.small", "t3.small", Connection, 1, 2, 0.0208),
        new("aws+t3.medium", "t3.medium", Connection, 2, 4, 0.0416),
        new("aws+c5.xlarge", "c5.xlarge", Connection, 4, 8, 0.17),
        new("aws+m5.4xlarge", "m5.4xlarge", Connection, 16, 64, 0.768),
    ];

    public Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new InfrastructureHealth(true, "fake", IsSandbox: true, null));

    public Task<IReadOnlyList<CloudConnection>> ListConnectionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CloudConnection>>([new(Connection, "aws", "ap-northeast-2", "ap-northeast-2a", "Seoul", 37.5, 127)]);

    public Task<IReadOnlyList<MachineSpec>> ListSpecsAsync(string connection, CancellationToken cancellationToken) => connection switch
    {
        Connection => Task.FromResult(Specs),
        BrokenConnection => throw new InfrastructureException("Tumblebug answered 500: connection refused by the CSP driver."),
        _ => throw new InfrastructureException($"Connection '{connection}' does not exist.", notFound: true),
    };

    public Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        IProgress<string>? progress, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Machine>>([]);

    public Task<IReadOnlyList<Machine>> AddMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        IProgress<string>? progress, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Machine>>([]);

    public Task<IReadOnlyList<Machine>> GetMachinesAsync(string ns, string groupId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Machine>>([]);

    public Task DeleteMachineAsync(string ns, string groupId, string machineId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAllAsync(string ns, string groupId, CancellationToken cancellationToken) => Task.CompletedTask;
}
