using Ladybug.Engine.Certificates;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ladybug.Web.Components.Pages.Clusters;

/// <summary>
/// One cluster, live: phase and reason, the selected job's steps, nodes, map and log. One
/// <see cref="ClusterFeed"/> delivers the stored log then live events; each event updates only what it changes.
/// </summary>
public partial class ClusterDetail
{
    private const int NodesTab = 0;
    private const int LogsTab = 2;

    private readonly LogBuffer _log = new();
    private ClusterView? _cluster;
    private List<NodeView> _nodes = [];
    private IReadOnlyList<MapRegion> _regions = [];
    private IReadOnlyList<JobView> _jobs = [];
    private JobView? _selectedJob;
    private readonly LiveJobSteps _steps = new();
    private IReadOnlyList<string> _planned = [];
    private bool _loading = true;
    private int _tab;
    private ClusterFeed? _feed;
    private RefreshThrottle? _reloadCluster;
    private readonly CancellationTokenSource _stop = new();

    [Parameter] public string Namespace { get; set; } = "";
    [Parameter] public string Name { get; set; } = "";
    [SupplyParameterFromQuery(Name = "tab")] public string? Tab { get; set; }

    [Inject] private ClusterQueries Queries { get; set; } = default!;
    [Inject] private ClusterService Clusters { get; set; } = default!;
    [Inject] private IJobLog JobLog { get; set; } = default!;
    [Inject] private IProvisioningEvents Events { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private CertificateExpiryView Certificates { get; set; } = default!;
    [Inject] private JobPlans Plans { get; set; } = default!;

    /// <summary>The stored expiry of the API server's and the admin kubeconfig's certificates, judged now.</summary>
    private IReadOnlyList<CertificateState> _certificates = [];

    private JobView? _activeJob => _jobs.FirstOrDefault(j => !j.IsFinished);
    private bool JobRunning => _activeJob is not null;

    /// <summary>Why the node table is empty: still coming, or gone with a failure or a delete.</summary>
    private string NodesEmptyText => _cluster?.Phase switch
    {
        ClusterPhase.Failed => "No nodes: the machines of the failed job were deleted, or never created.",
        ClusterPhase.Deleted => "No nodes: the cluster was deleted with its machines.",
        _ => NodeTable.NodesComingText,
    };

    protected override async Task OnParametersSetAsync()
    {
        if (_cluster is not null && _cluster.Namespace == Namespace && _cluster.Name == Name) return;
        _loading = true;
        _cluster = await Queries.GetAsync(Namespace, Name, _stop.Token);
        if (_cluster is not null)
        {
            SetCluster(_cluster);
            await LoadJobsAsync(selectNewest: true);
            _tab = Tab == "logs" || JobRunning ? LogsTab : NodesTab;
        }
        _loading = false;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _cluster is null) return;
        _reloadCluster = new RefreshThrottle(TimeSpan.FromMilliseconds(500), ReloadClusterAsync);
        var catchingUp = true;
        try
        {
            _feed = await ClusterFeed.StartAsync(_cluster.Id, 0, JobLog, Events,
                lines => InvokeAsync(() =>
                {
                    _log.Append(lines);
                    // During catch-up the whole stored log arrives in batches; render once at the end.
                    if (!catchingUp) StateHasChanged();
                }),
                e => InvokeAsync(() => ApplyAsync(e)),
                // What changed between the first load and the subscription would otherwise be missed.
                () => InvokeAsync(RefreshAsync),
                _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catchingUp = false;
        await InvokeAsync(StateHasChanged);
    }

    private async Task ApplyAsync(ProvisioningEvent e)
    {
        switch (e)
        {
            case PhaseChanged phase when _cluster is not null:
                _cluster = _cluster with { Phase = phase.Phase, Reason = phase.Reason, Message = phase.Message };
                // Endpoint, kubeconfig and nodes change with the phase.
                _reloadCluster?.Request();
                break;
            case JobChanged job:
                var newJob = _jobs.All(j => j.Id != job.JobId);
                await LoadJobsAsync(selectNewest: newJob || _selectedJob?.Id == job.JobId);
                break;
            case CertificatesChecked:
                _reloadCluster?.Request();
                break;
            case StepChanged step:
                _steps.Apply(step);
                break;
            case NodeChanged node:
                var index = _nodes.FindIndex(n => n.Name == node.NodeName);
                if (index < 0 || node.Status == NodeStatus.Deleted)
                {
                    _reloadCluster?.Request();
                }
                else
                {
                    var changed = _nodes[index] with { Status = node.Status, StatusMessage = node.Message, PublicIp = node.PublicIp ?? _nodes[index].PublicIp };
                    // The watch's facts: readiness on the map and in the table change with them.
                    _nodes = [.. _nodes[..index], node.Facts is { } facts ? changed.With(facts) : changed, .. _nodes[(index + 1)..]];
                    if (node.Facts is not null) _regions = MapRegions.FromNodes(_nodes, ClusterPaths.Detail(Namespace, Name));
                }
                break;
            case ClusterHealthChanged health when _cluster is not null:
                _cluster = _cluster with { Health = health.Health, HealthReason = health.Reason, HealthSince = health.Since, WatchMode = health.WatchMode };
                break;
        }
        StateHasChanged();
    }

    private async Task RefreshAsync()
    {
        await ReloadClusterAsync();
        await LoadJobsAsync(selectNewest: _selectedJob is null || _selectedJob.Id == _jobs.FirstOrDefault()?.Id);
    }

    private async Task ReloadClusterAsync()
    {
        var cluster = await Queries.GetAsync(Namespace, Name, _stop.Token);
        await InvokeAsync(() =>
        {
            if (cluster is null || cluster.Id != _cluster?.Id) return;
            SetCluster(cluster);
            StateHasChanged();
        });
    }

    private void SetCluster(ClusterView cluster)
    {
        _cluster = cluster;
        _certificates = Certificates.Of(cluster);
        SetNodes(cluster.Nodes);
    }

    private static string CertificateLabel(CertificateState certificate) =>
        certificate.Name == CertificateExpiry.ApiServer ? "API server certificate" : "Admin certificate";

    private string CertificateTitle(CertificateState certificate) =>
        $"{CertificateLabel(certificate)}: valid until {DisplayFormat.Timestamp(certificate.ExpiresAt)}" +
        (_cluster?.CertificatesCheckedAt is { } checkedAt ? $" (read {DisplayFormat.Timestamp(checkedAt)})" : "") +
        (_cluster?.CertificatesCheckMessage is { } problem ? $"; not read: {problem}" : "");

    private string CertificateWarning(CertificateState certificate)
    {
        var days = (int)Math.Floor((certificate.ExpiresAt - Time.GetUtcNow()).TotalDays);
        var when = certificate.Expired
            ? $"expired on {DisplayFormat.Timestamp(certificate.ExpiresAt)}"
            : $"expires on {DisplayFormat.Timestamp(certificate.ExpiresAt)} (in {days} day{(days == 1 ? "" : "s")})";
        return $"The {CertificateLabel(certificate).ToLowerInvariant().Replace("api server", "API server", StringComparison.Ordinal)} {when}. " +
            "Renew the certificates: once it expires, kubectl and the console can no longer reach the cluster with it.";
    }

    private void SetNodes(IEnumerable<NodeView> nodes)
    {
        _nodes = nodes.OrderBy(n => n.Role).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        _regions = MapRegions.FromNodes(_nodes, ClusterPaths.Detail(Namespace, Name));
    }

    private async Task LoadJobsAsync(bool selectNewest)
    {
        if (_cluster is null) return;
        _jobs = await Queries.JobsAsync(_cluster.Id, _stop.Token);
        var selected = selectNewest ? _jobs.FirstOrDefault() : _jobs.FirstOrDefault(j => j.Id == _selectedJob?.Id) ?? _jobs.FirstOrDefault();
        await ShowJobAsync(selected);
    }

    private async Task ShowJobAsync(JobView? job)
    {
        if (job?.Id != _selectedJob?.Id || _planned.Count == 0) _planned = job is null ? [] : Plans.StepNames(job);
        _selectedJob = job;
        _steps.Show(job?.Id);
        // Merged, not replaced: events applied while this read was under way may be newer than what it returns.
        if (job is not null) _steps.Merge(job.Id, await Queries.StepsAsync(job.Id, _stop.Token));
    }

    private Task SelectJobAsync(Guid jobId) => ShowJobAsync(_jobs.FirstOrDefault(j => j.Id == jobId));

    private async Task CancelJobAsync()
    {
        if (_cluster is null || _activeJob is null) return;
        if (!await ConfirmAsync($"Cancel {DisplayFormat.Words(_activeJob.Kind.ToString()).ToLowerInvariant()}?",
                _activeJob.Kind == JobKind.RenewCertificates
                    ? "The running step stops; control planes already renewed keep their new certificates, the others their old ones. The cluster stays in service."
                    : "The running step stops, the cluster is marked Failed (Cancelled) and machines created so far are rolled back.", "Cancel job", Color.Warning))
            return;
        await RunAsync(() => Clusters.CancelAsync(_cluster.Id), "Cancellation requested.");
    }

    private async Task AddNodesAsync()
    {
        if (_cluster is null) return;
        var parameters = new DialogParameters<AddNodesDialog> { { d => d.Cluster, _cluster } };
        var dialog = await Dialogs.ShowAsync<AddNodesDialog>($"Add nodes to {_cluster.Name}", parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            Snackbar.Add("Adding nodes: follow the progress in the log.", Severity.Info);
            _tab = LogsTab;
        }
    }

    private async Task RenewCertificatesAsync()
    {
        if (_cluster is null) return;
        if (!await ConfirmAsync($"Renew the certificates of {_cluster.Name}?",
                "kubeadm renews every certificate on each control plane in turn and restarts its control-plane pods; while one restarts, " +
                "the others serve. Then the stored kubeconfig is replaced: download it again afterwards.", "Renew certificates", Color.Primary))
            return;
        await RunAsync(() => Clusters.RenewCertificatesAsync(_cluster.Id), "Renewing certificates: follow the progress in the log.");
        _tab = LogsTab;
    }

    private async Task RemoveNodeAsync(NodeView node)
    {
        if (_cluster is null) return;
        if (!await ConfirmAsync($"Remove node {node.Name}?",
                $"The node is drained, removed from Kubernetes and its VM in {CspPalette.DisplayName(node.Csp)} {node.Region} is deleted.", "Remove node", Color.Error))
            return;
        await RunAsync(() => Clusters.RemoveNodeAsync(_cluster.Id, node.Name), $"Removing {node.Name}.");
    }

    private async Task DeleteAsync()
    {
        if (_cluster is null) return;
        var parameters = new DialogParameters<DeleteClusterDialog> { { d => d.ClusterName, _cluster.Name } };
        var dialog = await Dialogs.ShowAsync<DeleteClusterDialog>("Delete cluster", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
            await RunAsync(() => Clusters.DeleteAsync(_cluster.Id), $"Deleting {_cluster.Name}.");
    }

    private async Task<bool> ConfirmAsync(string title, string text, string action, Color color)
    {
        var parameters = new DialogParameters<ConfirmDialog> { { d => d.Text, text }, { d => d.Action, action }, { d => d.Color, color } };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        return await dialog.Result is { Canceled: false };
    }

    /// <summary>Runs an engine request and says how it went; refusals (busy, wrong phase) are shown, not thrown.</summary>
    private async Task RunAsync(Func<Task> request, string success)
    {
        try
        {
            await request();
            Snackbar.Add(success, Severity.Info);
        }
        catch (Exception ex) when (ex is ClusterStateException or ClusterNotFoundException or ClusterValidationException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _feed?.Dispose();
        _reloadCluster?.Dispose();
    }
}
