namespace Ladybug.Bench;

/// <summary>
/// Usage: dotnet run --project bench/Ladybug.Bench -c Release -- [logs|scale|provision [N ...]|concurrent [clusters]|catalog|watch [clusters nodes]|signin|replicas [clusters]|all]
/// Prints figures; targets: log p95 ≤ 250 ms with no line lost; pages ≤ 500 ms and RSS ≤ 400 MB at 100 × 1,000 nodes;
/// provisioning wall time ≤ 1.10 × its critical path at 1 control plane + 50 workers (provision runs N = 3, 10, 50 unless told);
/// 10 clusters at once through Tumblebug's rate limit ≤ 1.5 × one alone, with no 429; a signed-in user's calls under 100 ms
/// while 50 wrong passwords per second arrive (signin); N clusters at once across two console replicas against one
/// (replicas, default 20; PostgreSQL and redis-server from apt).
/// </summary>
public static class BenchProgram
{
    public static async Task Main(string[] args)
    {
        var what = args.FirstOrDefault() ?? "all";
        if (what is "catalog" or "all") CatalogBench.Run();
        if (what is "logs" or "all") await LogStreamingBench.RunAsync(linesPerSecond: 2_000, seconds: 30);
        if (what is "scale" or "all") await ScaleBench.RunAsync(clusters: 100, nodesPerCluster: 1_000);
        if (what is "provision" or "all")
        {
            var counts = args.Skip(1).Select(a => int.TryParse(a, out var n) && n > 0 ? n : throw new ArgumentException($"'{a}' is not a worker count.")).ToList();
            await ProvisionBench.RunAsync(counts.Count > 0 ? counts : [3, 10, 50]);
        }
        if (what is "signin" or "all") await SignInFloodBench.RunAsync();
        if (what is "concurrent" or "all")
            await ConcurrentProvisionBench.RunAsync(what == "concurrent" && args.Skip(1).FirstOrDefault() is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 10);
        if (what is "replicas" or "all")
            await ReplicasBench.RunAsync(what == "replicas" && args.Skip(1).FirstOrDefault() is { } r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 20);
        if (what is "watch" or "all")
        {
            var sizes = what == "watch" ? args.Skip(1).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList() : [];
            await WatchBench.RunAsync(sizes.ElementAtOrDefault(0) is > 0 and var c ? c : 100, sizes.ElementAtOrDefault(1) is > 0 and var n2 ? n2 : 50);
        }
    }
}
