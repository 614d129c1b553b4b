using Ladybug.Engine.Events;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Ladybug.Web.Components.Shared;

public partial class LogView
{
    /// <summary>Pixels of a one-row line (the stylesheet's minimum); the virtualiser measures wrapped lines and averages.</summary>
    public const float LineHeight = 20;
    public const string AllNodes = "*";
    public const string EngineOnly = "-";
    public const string AllSteps = "*";

    private readonly List<LogLineView> _visible = [];
    private LogBuffer? _filteredBuffer;
    private int _read;
    private bool _scrollPending;
    private ElementReference _scroller;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The lines; the view picks up appended ones on each render of its parent.</summary>
    [Parameter, EditorRequired] public required LogBuffer Buffer { get; set; }

    /// <summary>Where the full log can be downloaded, or null to hide the button.</summary>
    [Parameter] public string? DownloadHref { get; set; }

    [Parameter] public string EmptyText { get; set; } = "Waiting for the first line…";

    public string? NodeFilter { get; set; } = AllNodes;
    public string? StepFilter { get; set; } = AllSteps;
    public string? Search { get; set; }
    public bool Follow { get; set; } = true;

    /// <summary>Long lines wrap by default; off, each stays on one row and the lines scroll sideways.</summary>
    public bool Wrap { get; set; } = true;

    /// <summary>What the node column shows for the engine's own lines.</summary>
    public const string EngineLabel = "engine";

    private string LinesClass => Wrap ? "log-lines log-wrap" : "log-lines log-nowrap";

    /// <summary>
    /// The node column is as wide as the longest node name in the log (the font is monospaced, so characters are
    /// a width), so no name is clipped and the text column starts at the same place on every line.
    /// </summary>
    private string NodeColumnStyle => FormattableString.Invariant($"--log-node-width: {NodeColumnWidth(Buffer.Nodes)}ch");

    public static int NodeColumnWidth(IEnumerable<string> nodes) =>
        nodes.Select(n => n.Length).Append(EngineLabel.Length).Max();

    /// <summary>The lines that pass the filters, in order.</summary>
    public IReadOnlyList<LogLineView> VisibleLines => _visible;

    private string CountText => _visible.Count == Buffer.Count
        ? $"{Buffer.Count:N0} lines"
        : $"{_visible.Count:N0} of {Buffer.Count:N0} lines";

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_filteredBuffer, Buffer))
        {
            _filteredBuffer = Buffer;
            Refilter();
            return;
        }
        if (Buffer.Count == _read) return;
        for (var i = _read; i < Buffer.Count; i++)
            if (Matches(Buffer.Lines[i])) _visible.Add(Buffer.Lines[i]);
        _read = Buffer.Count;
        _scrollPending |= Follow;
    }

    public void Refilter()
    {
        _visible.Clear();
        foreach (var line in Buffer.Lines)
            if (Matches(line)) _visible.Add(line);
        _read = Buffer.Count;
        _scrollPending |= Follow;
    }

    private void FollowChanged() => _scrollPending = Follow;

    private bool Matches(LogLineView line) =>
        (NodeFilter is null or AllNodes || (NodeFilter == EngineOnly ? line.NodeName is null : line.NodeName == NodeFilter))
        && (StepFilter is null or AllSteps || line.Step == StepFilter)
        && (string.IsNullOrWhiteSpace(Search) || line.Text.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase)
            || line.NodeName?.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) == true);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_scrollPending || !Follow) return;
        _scrollPending = false;
        try
        {
            await JS.InvokeVoidAsync("ladybug.scrollToEnd", _scroller);
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
