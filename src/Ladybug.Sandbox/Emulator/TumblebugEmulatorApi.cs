using System.Text.Json;
using System.Text.RegularExpressions;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ladybug.Sandbox.Emulator;

/// <summary>What the emulator's handlers share.</summary>
internal sealed record EmulatorServices(EmulatorState State, CloudCatalog Catalog, InfraProvisioner Provisioner, SandboxMachines Machines, SandboxControl Control, InitializationClock Initialization, RequestLedger Ledger)
{
    public required NodeTermination Termination { get; init; }
}

/// <summary>
/// The CB-Tumblebug v0.13 calls Ladybug makes — same paths, JSON, status words and error shapes as Tumblebug —
/// and nothing more. Status codes follow Tumblebug's handlers, quirks included: errors are {"message"} with 400
/// when the handler had no response object and 500 when it had one, so a missing Infra is a 500 on a plain read.
/// </summary>
internal static partial class TumblebugEmulatorApi
{
    public const string BasePath = "/tumblebug";

    /// <summary>CheckString: case-insensitive, '+' allowed inside (src/core/common/utility.go:207-223 @v0.13.0).</summary>
    [GeneratedRegex("^[a-z]([-a-z0-9+]*[a-z0-9])?$", RegexOptions.IgnoreCase)]
    private static partial Regex NamingRule();

    public static IEndpointRouteBuilder MapTumblebugEmulator(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath);
        api.MapGet("/livez", () => Json(new SimpleMsg("CB-Tumblebug is alive")));
        api.MapGet("/readyz", GetReadyz);
        api.MapGet("/ns/{nsId}", GetNamespace);
        api.MapPost("/ns", CreateNamespaceAsync);
        api.MapGet("/connConfig", ListConnections);
        api.MapPost("/ns/{nsId}/resources/filterSpecsByRange", FilterSpecsAsync);
        api.MapPost("/ns/{nsId}/resources/searchImage", SearchImageAsync);
        api.MapInfras();
        api.MapGet("/request/{reqId}", GetRequest);
        api.MapSecurityGroupTemplates();
        api.MapFallback(() => Error(StatusCodes.Status404NotFound, "Not Found"));
        return app;
    }

    private static IResult GetReadyz(EmulatorServices e) => e.Machines.Problem is { } problem
        ? Json(new ReadyzResponse($"CB-Tumblebug (sandbox) is not ready: {problem}", false, e.Initialization.Initialized), StatusCodes.Status503ServiceUnavailable)
        : e.Initialization.Initialized
            ? Json(new ReadyzResponse("CB-Tumblebug is ready and initialized", true, true))
            : Json(new ReadyzResponse("CB-Tumblebug is ready but not initialized (waiting for init.py)", true, false));

    /// <summary>RestGetRequest (src/interface/rest/server/common/config.go:180-188 @v0.13.0).</summary>
    private static IResult GetRequest(string reqId, EmulatorServices e)
    {
        if (e.Ledger.Find(reqId) is not { } details) return Error(StatusCodes.Status404NotFound, "Request ID not found");
        string json;
        lock (details) json = JsonSerializer.Serialize(details, TumblebugWire.Json);
        return Results.Text(json, "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>LoseCreateResponses: the outcome is reached and recorded, then the connection drops instead of the answer.</summary>
    internal static IResult Deliver(HttpContext http, EmulatorServices e, IResult result)
    {
        if (e.Control.ClaimLostCreateResponse()) http.Items[TumblebugGate.LostAnswerKey] = true;
        return result;
    }

    private static IResult GetNamespace(string nsId, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        lock (e.State.Sync) return Json(NsInfo(e.State.Namespaces[nsId]));
    }

    private static async Task<IResult> CreateNamespaceAsync(HttpRequest request, EmulatorServices e)
    {
        var (body, invalid) = await ReadAsync<NsReq>(request);
        if (invalid is not null) return invalid;
        var name = body!.Name ?? "";
        // RestPostNs hands EndRequestWithLog a non-nil NsInfo, so every CreateNs error is a 500
        // (src/interface/rest/server/common/namespace.go:160-171, src/core/common/namespace.go:57-75 @v0.13.0).
        if (NamingProblem(name, "namespace") is { } problem) return Error(StatusCodes.Status500InternalServerError, problem);
        NamespaceRecord ns;
        lock (e.State.Sync)
        {
            if (e.State.Namespaces.ContainsKey(name))
                return Error(StatusCodes.Status500InternalServerError, $"CreateNs(); The namespace {name} already exists.");
            ns = e.State.Namespaces[name] = new NamespaceRecord(name, Uids.Next(), body.Description ?? "");
        }
        e.State.NotifyChanged();
        return Json(NsInfo(ns));
    }

    /// <summary>
    /// GetConnConfigList only appends, so when nothing is left after filterVerified the list is nil:
    /// {"connectionconfig":null} (src/core/common/utility.go:572-617 @v0.13.0).
    /// </summary>
    private static IResult ListConnections(bool? filterVerified, EmulatorServices e)
    {
        var unverified = e.Initialization.Initialized ? e.Control.Faults.UnverifiedConnections : ["*"];
        List<ConnConfig>? list = null;
        foreach (var region in e.Catalog.Regions)
        {
            var verified = !unverified.Any(u => u == "*" || u.Equals(region.ConnectionName, StringComparison.OrdinalIgnoreCase));
            if (filterVerified == true && !verified) continue;
            (list ??= []).Add(WireViews.ConnConfig(region, verified));
        }
        return Json(new ConnConfigList(list));
    }

    private static async Task<IResult> FilterSpecsAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (filter, invalid) = await ReadAsync<FilterSpecsByRangeRequest>(request, allowEmpty: true);
        if (invalid is not null) return invalid;
        filter ??= new FilterSpecsByRangeRequest();
        var specs = Candidates(filter.ConnectionName, e.Catalog)
            .Where(_ => e.Initialization.Initialized)
            .Where(s => AnyOf(filter.ConnectionName, s.Region.ConnectionName)
                && AnyOf(filter.ProviderName, s.Region.Provider)
                && AnyOf(filter.RegionName, s.Region.Region)
                && AnyOf(filter.Architecture, s.Architecture)
                && AllIn(filter.Id, s.Id)
                && AllIn(filter.CspSpecName, s.CspSpecName)
                && Within(filter.VCpu, s.VCpu) && Within(filter.MemoryGiB, s.MemoryGiB) && Within(filter.CostPerHour, s.CostPerHour))
            .OrderBy(s => s.Region.ConnectionName, StringComparer.Ordinal).ThenBy(s => s.VCpu).ThenBy(s => s.MemoryGiB)
            .Take(filter.Limit > 0 ? filter.Limit : int.MaxValue)
            .Select((s, i) => WireViews.Spec(s, i + 1))
            .ToList();
        return Json(new FilterSpecsResponse(specs));
    }

    /// <summary>
    /// The specs a connectionName filter can match, from the catalog's index: the same rows the full scan would
    /// keep (the filter is applied to them again), without walking thousands of specs for the usual one connection.
    /// </summary>
    private static IEnumerable<CatalogSpec> Candidates(string? connectionFilter, CloudCatalog catalog)
    {
        var connections = (connectionFilter ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        return connections.Length == 0 ? catalog.Specs : connections.Distinct(StringComparer.OrdinalIgnoreCase).SelectMany(catalog.SpecsOf);
    }

    private static async Task<IResult> SearchImageAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (search, invalid) = await ReadAsync<SearchImageRequest>(request);
        if (invalid is not null) return invalid;
        CatalogRegion? region;
        var architecture = search!.OsArchitecture ?? "";
        if (!string.IsNullOrWhiteSpace(search.MatchedSpecId))
        {
            var spec = e.Catalog.FindSpec(search.MatchedSpecId);
            if (spec is null) return Error(StatusCodes.Status400BadRequest, $"Failed to find the spec {search.MatchedSpecId}: not found in namespace system.");
            region = spec.Region;
            // The spec's architecture wins unless it is "" or "NA" (src/core/resource/image.go:2067-2070 @v0.13.0).
            if (spec.Architecture is not ("" or CatalogSpec.NotAvailableArchitecture)) architecture = spec.Architecture;
        }
        else
        {
            region = e.Catalog.Regions.FirstOrDefault(r =>
                r.Provider.Equals(search.ProviderName, StringComparison.OrdinalIgnoreCase) && r.Region.Equals(search.RegionName, StringComparison.OrdinalIgnoreCase));
            if (region is null) return Error(StatusCodes.Status400BadRequest, "Give matchedSpecId, or providerName and regionName of a known region.");
        }
        var wanted = (search.OsType ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var images = e.Catalog.ImagesOf(region)
            .Where(_ => e.Initialization.Initialized)
            .Where(i => wanted.All(w => i.OsType.Contains(w, StringComparison.OrdinalIgnoreCase)))
            // os_architecture IN (value, 'na'), case-insensitive (image.go:2113-2119 @v0.13.0).
            .Where(_ => architecture.Length == 0
                || architecture.Equals(CatalogImage.Architecture, StringComparison.OrdinalIgnoreCase)
                || CatalogImage.Architecture.Equals(CatalogSpec.NotAvailableArchitecture, StringComparison.OrdinalIgnoreCase))
            .Take(search.MaxResults is > 0 and var max ? max : int.MaxValue)
            .Select(i => WireViews.Image(i, region))
            .ToList();
        return Json(new SearchImageResponse(images.Count, images));
    }

    internal static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static IResult? CheckNamespace(string nsId, EmulatorServices e) => NamespaceProblem(nsId, e);

    internal static Task<(T? Body, IResult? Error)> ReadBodyAsync<T>(HttpRequest request) where T : class => ReadAsync<T>(request);

    /// <summary>Tumblebug's namespace middleware: a bad or unknown nsId is a 404 before any handler runs (src/core/common/namespace.go:34-55 @v0.13.0).</summary>
    internal static IResult? NamespaceProblem(string nsId, EmulatorServices e)
    {
        if (NamingProblem(nsId, "namespace") is not null)
            return Error(StatusCodes.Status404NotFound, "The first character of name must be a lowercase letter, and all following characters must be a dash, lowercase letter, or digit, except the last character, which cannot be a dash.");
        lock (e.State.Sync)
            return e.State.Namespaces.ContainsKey(nsId) ? null : Error(StatusCodes.Status404NotFound, "Not valid namespace");
    }

    /// <summary>CheckString's words (src/core/common/utility.go:207-223 @v0.13.0); <paramref name="what"/> is for callers' logs only.</summary>
    internal static string? NamingProblem(string name, string what) =>
        name.Length == 0 ? "CheckString - empty string"
        : NamingRule().IsMatch(name) ? null
        : $"{name}: The name must follow these rules: 1. The first character must be a letter (case-insensitive). 2. All following characters can be a dash, letter (case-insensitive), digit, or +. 3. The last character cannot be a dash.";

    /// <summary>common.ToLower: '_' and ' ' become '-', then lower case (src/core/common/utility.go:226-231 @v0.13.0).</summary>
    internal static string ToLower(string name) => name.Replace('_', '-').Replace(' ', '-').ToLowerInvariant();

    private static NsInfo NsInfo(NamespaceRecord ns) => new("namespace", ns.Id, ns.Uid, ns.Id, ns.Description);

    /// <summary>Comma- or space-separated values mean "any of", case-insensitive.</summary>
    private static bool AnyOf(string? filter, string value) =>
        string.IsNullOrWhiteSpace(filter) || filter.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Any(f => f.Equals(value, StringComparison.OrdinalIgnoreCase));

    /// <summary>For id and cspSpecName: every token must appear in the value.</summary>
    private static bool AllIn(string? filter, string value) =>
        string.IsNullOrWhiteSpace(filter) || filter.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).All(f => value.Contains(f, StringComparison.OrdinalIgnoreCase));

    private static bool Within(ValueRange? range, double value) =>
        range is null || ((range.Min is not { } min || value >= min) && (range.Max is not { } max || max <= 0 || value <= max));

    internal static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, bool allowEmpty = false) where T : class
    {
        try
        {
            if (request.ContentLength == 0 && allowEmpty) return (null, null);
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, TumblebugWire.Json, request.HttpContext.RequestAborted);
            return body is null && !allowEmpty ? (null, Error(StatusCodes.Status400BadRequest, "The request body is empty.")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"Invalid request body: {ex.Message}"));
        }
    }

    internal static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, TumblebugWire.Json, statusCode: statusCode);

    internal static IResult Error(int statusCode, string message) => Json(new SimpleMsg(message), statusCode);
}
