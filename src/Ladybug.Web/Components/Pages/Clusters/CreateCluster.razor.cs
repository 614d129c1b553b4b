using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ladybug.Web.Components.Pages.Clusters;

/// <summary>
/// The create wizard. Every change runs the engine's own validation (<see cref="ClusterService.ValidateAsync"/>:
/// the spec validator, name uniqueness and the cloud's checks) and shows each error next to the field its path names.
/// </summary>
public partial class CreateCluster
{
    private const int LastStep = 4;

    /// <summary>Which validator paths each step owns; anything else is listed on the review step.</summary>
    private static readonly string[][] StepFields =
    [
        [SpecPaths.Name, SpecPaths.Namespace, SpecPaths.Description, SpecPaths.Label],
        [SpecPaths.ControlPlane],
        [SpecPaths.WorkerPools],
        [SpecPaths.KubernetesVersion, SpecPaths.Cni, SpecPaths.PodCidr, SpecPaths.ServiceCidr, SpecPaths.DnsDomain, SpecPaths.LoadBalancer],
    ];

    private readonly ClusterForm _form = new();
    private readonly FormErrors _errors = new();
    private MachineSpecCache _specs = default!;
    private IReadOnlyList<CloudConnection> _connections = [];
    private string? _connectionsError;
    private bool _loadingConnections = true;
    private ClusterSpec _spec = new();
    private IReadOnlyList<MapRegion> _preview = [];
    private List<string> _unplaced = [];
    private int _step;
    private bool _creating;
    private int _validation;

    [Inject] private ClusterService Clusters { get; set; } = default!;
    [Inject] private CloudCatalog Catalog { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private KubernetesMinor SelectedMinor =>
        KubernetesVersionCatalog.Minors.FirstOrDefault(m => m.Minor == _form.Minor) ?? KubernetesVersionCatalog.Minors[0];

    private string RuntimeNote => SelectedMinor.Runtime == ContainerRuntime.Docker
        ? $"Docker with dockershim; binaries from dl.k8s.io (kubeadm API {SelectedMinor.KubeadmApiVersion}). Legacy: for compatibility with MCKS clusters."
        : $"containerd; {(SelectedMinor.Binaries == BinarySource.PkgsK8sIo ? "packages from pkgs.k8s.io" : "binaries from dl.k8s.io")} (kubeadm API {SelectedMinor.KubeadmApiVersion}).";

    protected override async Task OnInitializedAsync()
    {
        _specs = new MachineSpecCache(Catalog);
        await LoadConnectionsAsync();
        await ValidateAsync();
    }

    private async Task LoadConnectionsAsync()
    {
        _loadingConnections = true;
        _connectionsError = null;
        StateHasChanged();
        var result = await Catalog.ConnectionsAsync();
        _connections = result.Value;
        _connectionsError = result.Error ?? (_connections.Count == 0 ? "Tumblebug knows no cloud connection yet: register one in Tumblebug, then retry." : null);
        _loadingConnections = false;
        UpdatePreview();
    }

    private static string MinorLabel(KubernetesMinor minor) =>
        minor == KubernetesVersionCatalog.Minors[0] ? $"{minor.Minor} (latest)"
        : minor.Legacy ? $"{minor.Minor} (as in MCKS{(minor.Runtime == ContainerRuntime.Docker ? ", Docker" : "")})"
        : minor.Minor;

    private bool StepShowsErrors(int step) => step < StepFields.Length && _errors.Errors.ByField.Keys.Any(path =>
        StepFields[step].Any(prefix => FormErrors.Covers(prefix, path)) && _errors.IsVisible(path));

    private async Task SetAsync(string path, Action apply)
    {
        apply();
        await FieldChangedAsync(path);
    }

    private async Task FieldChangedAsync(string path)
    {
        _errors.Touch(path);
        await ValidateAsync();
    }

    private async Task MinorChangedAsync(string? minor)
    {
        _form.Minor = minor ?? KubernetesVersionCatalog.Minors[0].Minor;
        _form.KubernetesVersion = SelectedMinor.LatestVersion;
        await FieldChangedAsync("kubernetesVersion");
    }

    private async Task AddPoolAsync()
    {
        _form.WorkerPools.Add(new PoolForm());
        await ValidateAsync();
    }

    private async Task RemovePoolAsync(int index)
    {
        if (_form.WorkerPools.Count <= 1) return;
        _form.WorkerPools.RemoveAt(index);
        await ValidateAsync();
    }

    /// <summary>Runs the engine's validation; a result that a newer change overtook is dropped.</summary>
    private async Task ValidateAsync()
    {
        var run = ++_validation;
        var spec = _form.ToSpec();
        var errors = await Clusters.ValidateAsync(spec);
        if (run != _validation) return;
        _spec = spec;
        _errors.Set(errors);
        _unplaced = _errors.Unplaced(FieldPaths()).ToList();
        UpdatePreview();
    }

    /// <summary>Every path a field of this form shows errors for.</summary>
    private IEnumerable<string> FieldPaths()
    {
        PoolField[] poolFields = [PoolField.Connection, PoolField.Count, PoolField.Spec];
        IEnumerable<string> paths = [SpecPaths.Name, SpecPaths.Namespace, SpecPaths.Description, SpecPaths.KubernetesVersion, SpecPaths.Cni,
            SpecPaths.PodCidr, SpecPaths.ServiceCidr, SpecPaths.DnsDomain, SpecPaths.WorkerPools];
        if (_form.HighlyAvailable) paths = paths.Append(SpecPaths.LoadBalancer);
        paths = paths.Concat(poolFields.Select(f => SpecPaths.Of(SpecPaths.ControlPlane, f)));
        for (var i = 0; i < _form.WorkerPools.Count; i++)
            paths = paths.Concat(poolFields.Select(f => SpecPaths.Of(SpecPaths.WorkerPool(i), f)));
        return paths;
    }

    private void UpdatePreview() => _preview = MapRegions.FromSpec(_spec, _connections);

    /// <summary>Guards the stepper: a step with errors cannot be completed, and no step can be skipped.</summary>
    private async Task OnStepInteractionAsync(StepperInteractionEventArgs args)
    {
        if (args.Action is not (StepAction.Complete or StepAction.Activate)) return;
        var target = args.Action == StepAction.Complete ? _step + 1 : args.StepIndex;
        if (target <= _step) return;
        await ValidateAsync();
        for (var step = _step; step < Math.Min(target, StepFields.Length); step++)
        {
            if (!_errors.AnyUnder(StepFields[step])) continue;
            _errors.Reveal(StepFields[step]);
            args.Cancel = true;
            if (step != _step) _step = step;
            return;
        }
    }

    private async Task CreateAsync()
    {
        _errors.Reveal(StepFields.SelectMany(f => f));
        await ValidateAsync();
        if (!_errors.IsValid) return;
        _creating = true;
        try
        {
            var cluster = await Clusters.CreateAsync(_spec);
            Snackbar.Add($"Cluster {cluster.Name} is being created.", Severity.Success);
            Navigation.NavigateTo(ClusterPaths.Detail(cluster.Namespace, cluster.Name));
        }
        catch (ClusterValidationException ex)
        {
            _errors.Set(ex.Errors);
            _unplaced = _errors.Unplaced(FieldPaths()).ToList();
        }
        finally
        {
            _creating = false;
        }
    }
}
