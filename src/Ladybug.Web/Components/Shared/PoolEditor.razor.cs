using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;

namespace Ladybug.Web.Components.Shared;

public partial class PoolEditor
{
    /// <summary>The most matches a picker lists at once; typing narrows them.</summary>
    public const int PickerPage = 50;

    /// <summary>The list the two lookups below were built from; rebuilt only when the page passes another.</summary>
    private IReadOnlyList<CloudConnection>? _connectionsSource;
    private List<CloudConnection> _connectionsInOrder = [];
    private Dictionary<string, CloudConnection> _connectionsByName = new(StringComparer.Ordinal);
    private IReadOnlyList<MachineSpec> _specs = [];
    private string? _specsFor;
    private string? _specError;
    private bool _loadingSpecs;

    [Parameter, EditorRequired] public required PoolForm Pool { get; set; }

    /// <summary>The validator's path of this pool: <c>controlPlane</c> or <c>workerPools[1]</c>.</summary>
    [Parameter, EditorRequired] public required string Path { get; set; }

    [Parameter] public NodeRole Role { get; set; } = NodeRole.Worker;

    [Parameter, EditorRequired] public required IReadOnlyList<CloudConnection> Connections { get; set; }

    [Parameter, EditorRequired] public required MachineSpecCache Specs { get; set; }

    [Parameter, EditorRequired] public required FormErrors Errors { get; set; }

    /// <summary>Raised with the field path after the user changed a field.</summary>
    [Parameter] public EventCallback<string> OnChanged { get; set; }

    [Parameter] public string TestId { get; set; } = "pool";

    /// <summary>
    /// MudNumericField always validates itself once ValueChanged is handled, then replaces Error and ErrorText with
    /// its own verdict; answering with the engine's error (updated by the handler) keeps that error shown.
    /// </summary>
    private Func<int, string?> CountError => _ => Errors.For(SpecPaths.Of(Path, PoolField.Count));

    private string SpecHelp => _loadingSpecs ? "Loading specs from Tumblebug…"
        : string.IsNullOrEmpty(Pool.Connection) ? "Choose a connection first"
        : SpecRequirements.Describe(Role);

    /// <summary>
    /// The spec's error, once there is a connection to pick a spec from: before that the field is disabled, its helper
    /// says to choose a connection first, and the connection field carries the error.
    /// </summary>
    private string? SpecError => string.IsNullOrEmpty(Pool.Connection) ? null : Errors.For(SpecPaths.Of(Path, PoolField.Spec)) ?? _specError;

    protected override async Task OnParametersSetAsync()
    {
        if (!ReferenceEquals(_connectionsSource, Connections))
        {
            _connectionsSource = Connections;
            _connectionsInOrder = [.. Connections.OrderBy(c => c.Csp, StringComparer.Ordinal).ThenBy(c => c.Region, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)];
            _connectionsByName = Connections.DistinctBy(c => c.Name).ToDictionary(c => c.Name, StringComparer.Ordinal);
        }
        if (_specsFor != Pool.Connection) await LoadSpecsAsync();
    }

    private async Task LoadSpecsAsync()
    {
        _specsFor = Pool.Connection;
        _specs = [];
        _specError = null;
        if (string.IsNullOrEmpty(Pool.Connection)) return;
        _loadingSpecs = true;
        var result = await Specs.GetAsync(Pool.Connection);
        _loadingSpecs = false;
        if (_specsFor != Pool.Connection) return;
        _specError = result.Error;
        _specs = result.Value.Where(s => SpecRequirements.Fits(s, Role)).OrderBy(s => s.VCpu).ThenBy(s => s.MemoryGiB).ThenBy(s => s.Name).ToList();
        if (result.Ok && _specs.Count == 0)
            _specError = $"Connection {Pool.Connection} offers no spec big enough. {SpecRequirements.Describe(Role)}";
    }

    private CloudConnection? FindConnection(string? name) => name is null ? null : _connectionsByName.GetValueOrDefault(name);

    private MachineSpec? FindSpec(string? name) => name is null ? null : _specs.FirstOrDefault(s => s.Name == name);

    private string DescribeConnection(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "";
        var connection = FindConnection(name);
        return connection is null ? name : $"{name} · {connection.Location}";
    }

    /// <summary>
    /// Every word must appear in the connection's name, CSP, region, zone or place (as Tumblebug matches a spec id by
    /// its fragments). The text of the chosen connection itself lists everything, so opening the picker again browses.
    /// </summary>
    private Task<IEnumerable<string>> SearchConnectionsAsync(string? text, CancellationToken cancellationToken)
    {
        var words = PickerSearch.Words(text == DescribeConnection(Pool.Connection) ? "" : text);
        return Task.FromResult(_connectionsInOrder
            .Where(c => PickerSearch.Matches(words, c.Name, c.Csp, c.Region, c.Zone, c.Location))
            .Select(c => c.Name));
    }

    /// <summary>The connection's specs (fetched filtered by connection, once per form) whose name or size has every word.</summary>
    private Task<IEnumerable<string>> SearchSpecsAsync(string? text, CancellationToken cancellationToken)
    {
        var words = PickerSearch.Words(text == Pool.Spec ? "" : text);
        return Task.FromResult(_specs
            .Where(s => PickerSearch.Matches(words, s.Name, $"{s.VCpu}vcpu", $"{s.VCpu} vcpu", $"{DisplayFormat.Memory(s.MemoryGiB)}"))
            .Select(s => s.Name));
    }

    private async Task ConnectionChanged(string? connection)
    {
        Pool.Connection = connection ?? "";
        // A spec belongs to one connection; keep it only if the new connection offers the same name.
        await LoadSpecsAsync();
        if (!_specs.Any(s => s.Name == Pool.Spec)) Pool.Spec = SpecRequirements.Cheapest(_specs, Role)?.Name ?? "";
        await OnChanged.InvokeAsync(SpecPaths.Of(Path, PoolField.Connection));
    }

    private Task CountChanged(int count)
    {
        Pool.Count = count;
        return OnChanged.InvokeAsync(SpecPaths.Of(Path, PoolField.Count));
    }

    private Task SpecChanged(string? spec)
    {
        Pool.Spec = spec ?? "";
        return OnChanged.InvokeAsync(SpecPaths.Of(Path, PoolField.Spec));
    }
}
