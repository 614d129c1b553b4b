namespace Ladybug.Bench;

/// <summary>
/// Usage: dotnet run --project bench/Ladybug.Bench -c Release -- [logs|scale|all]
/// Prints figures; targets: log p95 ≤ 250 ms with no line lost; pages ≤ 500 ms and RSS ≤ 400 MB at 100 × 1,000 nodes.
/// </summary>
public static class BenchProgram
{
    public static async Task Main(string[] args)
    {
        var what = args.FirstOrDefault() ?? "all";
        if (what is "logs" or "all") await LogStreamingBench.RunAsync(linesPerSecond: 2_000, seconds: 30);
        if (what is "scale" or "all") await ScaleBench.RunAsync(clusters: 100, nodesPerCluster: 1_000);
    }
}
