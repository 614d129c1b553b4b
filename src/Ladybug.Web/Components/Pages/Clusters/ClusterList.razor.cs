using Ladybug.Engine.Certificates;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ladybug.Web.Components.Pages.Clusters;

/// <summary>
/// Every cluster, paged and sorted in the database; searchable by name and filterable by phase
/// (<c>clusters?phase=Failed</c>, which the dashboard's phase counts link to). Refreshes as clusters change.
/// </summary>
public partial class ClusterList : IDisposable
{
    private MudTable<ClusterRow>? _table;
    private string? _search;
    private ClusterPhase? _phase;
    private bool _showDeleted;
    private bool _empty;
    private IDisposable? _subscription;
    private RefreshThrottle? _refresh;

    [Inject] private ConsoleQueries Queries { get; set; } = default!;
    [Inject] private IProvisioningEvents Events { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private CertificateExpiryView Certificates { get; set; } = default!;
    [Inject] private ClusterService Clusters { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The same confirmation as on the cluster page (type the name); the engine decides whether a delete is allowed now.</summary>
    private async Task DeleteAsync(ClusterRow row)
    {
        var parameters = new DialogParameters<DeleteClusterDialog> { { d => d.ClusterName, row.Name } };
        var dialog = await Dialogs.ShowAsync<DeleteClusterDialog>("Delete cluster", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false }) return;
        try
        {
            await Clusters.DeleteAsync(row.Id);
            Snackbar.Add($"Deleting {row.Name}.", Severity.Info);
        }
        catch (Exception ex) when (ex is ClusterStateException or ClusterNotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    /// <summary>A phase name from the address; anything else shows every phase.</summary>
    [SupplyParameterFromQuery(Name = "phase")] public string? PhaseQuery { get; set; }

    private string NoMatchText => (_phase, string.IsNullOrWhiteSpace(_search)) switch
    {
        ({ } phase, true) => $"No cluster is {phase} right now.",
        ({ } phase, false) => $"No {phase} cluster matches “{_search}”.",
        (null, false) => $"No cluster matches “{_search}”.",
        (null, true) => "No cluster, not even a deleted one.",
    };

    protected override async Task OnParametersSetAsync()
    {
        var phase = Enum.TryParse<ClusterPhase>(PhaseQuery, ignoreCase: true, out var parsed) ? parsed : (ClusterPhase?)null;
        if (phase == _phase) return;
        _phase = phase;
        await Reload();
    }

    private async Task<TableData<ClusterRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var page = await Queries.ClustersAsync(new ClusterListQuery(state.Page, state.PageSize, _search,
            state.SortDirection == SortDirection.None ? null : state.SortLabel, state.SortDirection != SortDirection.Ascending, _showDeleted, _phase), cancellationToken);
        var empty = page.Total == 0 && string.IsNullOrWhiteSpace(_search) && !_showDeleted && _phase is null;
        if (empty != _empty)
        {
            // The table re-renders itself after loading; the empty state around it is the page's to show.
            _empty = empty;
            StateHasChanged();
        }
        return new TableData<ClusterRow> { Items = page.Rows, TotalItems = page.Total };
    }

    private Task Reload() => _table?.ReloadServerData() ?? Task.CompletedTask;

    /// <summary>The filter lives in the address, so it can be bookmarked and the back button undoes it.</summary>
    private void FilterByPhase(ClusterPhase? phase) => Navigation.NavigateTo(ClusterPaths.List(phase));

    private static string PhaseText(ClusterPhase? phase) => phase?.ToString() ?? "All phases";

    /// <summary>Why the row carries a warning icon: a certificate that ends within the warning window; null when none does.</summary>
    private string? CertificateWarning(ClusterRow row)
    {
        if (row.Phase != ClusterPhase.Provisioned || row.CertificatesExpireAt is not { } end) return null;
        var now = Time.GetUtcNow();
        if (end - now > Certificates.WarningWindow) return null;
        return end <= now ? $"Certificates expired on {DisplayFormat.Timestamp(end)}" : $"Certificates expire on {DisplayFormat.Timestamp(end)}";
    }

    private void Open(ClusterRow row) => Navigation.NavigateTo(ClusterPaths.Detail(row.Namespace, row.Name));

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _refresh = new RefreshThrottle(TimeSpan.FromSeconds(1), () => InvokeAsync(async () => { await Reload(); StateHasChanged(); }));
        _subscription = Events.Subscribe(null, e =>
        {
            if (e is PhaseChanged or JobChanged or NodeChanged or CertificatesChecked or ClusterHealthChanged) _refresh.Request();
            return ValueTask.CompletedTask;
        });
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
    }
}
