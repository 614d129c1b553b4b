using System.Diagnostics;
using Ladybug.Sandbox.Catalog;
using Ladybug.Web.Components.Shared;

namespace Ladybug.Bench;

/// <summary>
/// The wide sandbox catalog: what loading it costs at start-up, and what the lookups behind the wizard's pickers and
/// the emulator's spec search cost with every region of the region table. Target: load ≤ 250 ms cold; a connection's specs,
/// a spec by id and a picker search over every connection each well under 1 ms.
/// </summary>
public static class CatalogBench
{
    public static void Run()
    {
        var load = Stopwatch.StartNew();
        var catalog = new CloudCatalog();
        load.Stop();
        var again = Stopwatch.StartNew();
        _ = new CloudCatalog();
        again.Stop();
        Console.WriteLine($"catalog: {catalog.Regions.Count} regions, {catalog.Specs.Count} specs, {catalog.Images.Count} images; "
            + $"loaded in {load.Elapsed.TotalMilliseconds:0} ms cold (first JSON and CSV code in the process), {again.Elapsed.TotalMilliseconds:0} ms warm");

        var connections = catalog.Regions.Select(r => r.ConnectionName).ToArray();
        var ids = catalog.Specs.Select(s => s.Id).ToArray();
        Report("specs of a connection", 100_000, i => catalog.SpecsOf(connections[i % connections.Length]).Count);
        Report("spec by id", 100_000, i => catalog.FindSpec(ids[(i * 7919) % ids.Length]) is null ? 0 : 1);
        Report("cspSpecName search over every spec ('highcpu 4')", 200, _ =>
            catalog.Specs.Count(s => PickerSearch.Matches(PickerSearch.Words("highcpu 4"), s.CspSpecName)));
        Report("picker search over every connection ('tokyo')", 10_000, _ =>
            catalog.Regions.Count(r => PickerSearch.Matches(PickerSearch.Words("tokyo"), r.ConnectionName, r.Provider, r.Region, r.Display)));
    }

    private static void Report(string what, int times, Func<int, int> run)
    {
        var sink = 0;
        for (var i = 0; i < Math.Min(times, 100); i++) sink += run(i);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < times; i++) sink += run(i);
        watch.Stop();
        Console.WriteLine($"  {what}: {watch.Elapsed.TotalMicroseconds / times:0.0} µs each (checksum {sink})");
    }
}
