using System.CommandLine;
using Ladybug.Api.Contracts;

namespace Ladybug.Cli.Commands;

/// <summary>
/// Repeatable worker pools: the n-th --worker-connection goes with the n-th --worker-spec and --worker-count.
/// One spec or one count given once applies to every pool; a count defaults to 1.
/// </summary>
public sealed class WorkerPoolOptions
{
    public Option<string[]> Connection { get; } = new("--worker-connection") { Description = "Cloud connection of a worker pool; repeat for more pools" };
    public Option<string[]> Spec { get; } = new("--worker-spec") { Description = "VM spec of each worker pool (once for all, or once per pool)" };
    public Option<int[]> Count { get; } = new("--worker-count") { Description = "Nodes in each worker pool (once for all, or once per pool; default 1)", CustomParser = WholeNumbers.Many };

    public void AddTo(Command command)
    {
        command.Options.Add(Connection);
        command.Options.Add(Spec);
        command.Options.Add(Count);
    }

    public bool Given(Invocation invocation) =>
        (invocation.Get(Connection)?.Length ?? 0) + (invocation.Get(Spec)?.Length ?? 0) + (invocation.Get(Count)?.Length ?? 0) > 0;

    /// <summary>
    /// The cloud a connection is on, from its name: Tumblebug registers a region's connection as "{provider}-{region}"
    /// (cb-tumblebug src/core/common/utility.go:1090-1097 @v0.13.0; another credential holder's connections start with its
    /// name instead and are not told apart here; the server still refuses a spec its connection does not offer).
    /// </summary>
    private static string CloudOf(string connection) => connection.Split('-', 2)[0];

    public IReadOnlyList<NodeSetRequest> Build(Invocation invocation)
    {
        var connections = invocation.Get(Connection) ?? [];
        var specs = invocation.Get(Spec) ?? [];
        var counts = invocation.Get(Count) ?? [];
        var pools = connections.Length;
        if (pools == 0 && (specs.Length > 0 || counts.Length > 0))
            throw new CliException("Give each worker pool a --worker-connection.");
        if (specs.Length is not (0 or 1) && specs.Length != pools)
            throw new CliException($"{pools} worker pools but {specs.Length} --worker-spec values: give one for all pools or one per pool.");
        if (specs.Length == 1 && pools > 1 && connections.Select(CloudOf).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
            throw new CliException($"One --worker-spec ({specs[0]}) cannot fit worker pools on different clouds ({string.Join(", ", connections)}): a spec name belongs to one cloud, so give one --worker-spec per pool.");
        if (counts.Length is not (0 or 1) && counts.Length != pools)
            throw new CliException($"{pools} worker pools but {counts.Length} --worker-count values: give one for all pools or one per pool.");
        return [.. connections.Select((connection, i) => new NodeSetRequest
        {
            Connection = connection,
            Spec = specs.Length == 0 ? null : specs[Math.Min(i, specs.Length - 1)],
            Count = counts.Length == 0 ? 1 : counts[Math.Min(i, counts.Length - 1)],
        })];
    }
}
