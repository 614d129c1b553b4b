using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class LogViewTests : ComponentTest
{
    private static long _sequence;

    private static LogLineView Line(string? node, string step, string text, LogStream stream = LogStream.Stdout) =>
        new(++_sequence, DateTimeOffset.UtcNow, node, step, stream, text);

    private static LogBuffer Buffer() 
    {
        var buffer = new LogBuffer();
        buffer.Append([
            Line(null, "create machines", "3 machines are running", LogStream.System),
            Line("cp-1", "prepare nodes", "installing containerd"),
            Line("w1-1", "prepare nodes", "installing containerd"),
            Line("cp-1", "init control plane", "Your Kubernetes control-plane has initialized successfully!"),
            Line("w1-1", "join nodes", "This node has joined the cluster"),
            Line("w1-1", "join nodes", "error: connection refused", LogStream.Stderr),
        ]);
        return buffer;
    }

    [Fact]
    public async Task FiltersByNodeStepAndSearchAndCountsWhatIsShown()
    {
        var cut = Render<LogView>(p => p.Add(v => v.Buffer, Buffer()));
        Assert.Equal(6, cut.Instance.VisibleLines.Count);
        Assert.Contains("6 lines", cut.Find("[data-testid=log-count]").TextContent);

        await SetFilterAsync(cut, "Node", "w1-1");
        Assert.Equal(3, cut.Instance.VisibleLines.Count);
        Assert.All(cut.Instance.VisibleLines, l => Assert.Equal("w1-1", l.NodeName));
        Assert.Contains("3 of 6 lines", cut.Find("[data-testid=log-count]").TextContent);

        await SetFilterAsync(cut, "Step", "join nodes");
        Assert.Equal(2, cut.Instance.VisibleLines.Count);

        // Awaited: a filter applied on the renderer's thread must be done before the assertion reads the lines.
        await cut.InvokeAsync(() => { cut.Instance.Search = "REFUSED"; cut.Instance.Refilter(); });
        Assert.Equal("error: connection refused", Assert.Single(cut.Instance.VisibleLines).Text);

        await SetFilterAsync(cut, "Node", LogView.EngineOnly);
        Assert.Empty(cut.Instance.VisibleLines);
        Assert.Contains("No line matches the filters.", cut.Markup);
    }

    [Fact]
    public async Task NewLinesArriveThroughTheFiltersAndTheFilterChoicesGrow()
    {
        var buffer = Buffer();
        var cut = Render<LogView>(p => p.Add(v => v.Buffer, buffer));
        await SetFilterAsync(cut, "Node", "cp-1");
        Assert.Equal(2, cut.Instance.VisibleLines.Count);

        buffer.Append([Line("cp-1", "label nodes", "node/cp-1 labeled"), Line("w2-1", "join nodes", "joined")]);
        cut.Render(p => p.Add(v => v.Buffer, buffer));

        Assert.Equal(3, cut.Instance.VisibleLines.Count);
        Assert.Equal("node/cp-1 labeled", cut.Instance.VisibleLines[^1].Text);
        Assert.Contains("w2-1", buffer.Nodes);
        Assert.Equal(["create machines", "prepare nodes", "init control plane", "join nodes", "label nodes"], buffer.Steps);
    }

    [Fact]
    public void FollowingScrollsToTheNewestLineAndStopsWhenTurnedOff()
    {
        var buffer = Buffer();
        var cut = Render<LogView>(p => p.Add(v => v.Buffer, buffer));
        var scrolls = JSInterop.Invocations["ladybug.scrollToEnd"].Count;
        Assert.True(scrolls >= 1);

        cut.InvokeAsync(() => cut.Instance.Follow = false);
        buffer.Append([Line("cp-1", "x", "more")]);
        cut.Render(p => p.Add(v => v.Buffer, buffer));

        Assert.Equal(scrolls, JSInterop.Invocations["ladybug.scrollToEnd"].Count);
    }

    [Fact]
    public async Task LinesWrapByDefaultAndTheSwitchKeepsEachOnOneRow()
    {
        var cut = Render<LogView>(p => p.Add(v => v.Buffer, Buffer()));
        var lines = cut.Find("[data-testid=log-lines]");
        Assert.Contains("log-wrap", lines.ClassList);

        var wrap = cut.FindComponents<MudBlazor.MudSwitch<bool>>().Single(s => s.Instance.Label == "Wrap lines");
        await cut.InvokeAsync(() => wrap.Instance.ValueChanged.InvokeAsync(false));

        lines = cut.Find("[data-testid=log-lines]");
        Assert.Contains("log-nowrap", lines.ClassList);
        Assert.DoesNotContain("log-wrap", lines.ClassList);
    }

    [Fact]
    public void TheNodeColumnIsAsWideAsTheLongestNodeName()
    {
        var buffer = Buffer();
        buffer.Append([Line("tokyo-london-control-plane-1", "prepare nodes", "x")]);
        var cut = Render<LogView>(p => p.Add(v => v.Buffer, buffer));

        Assert.Contains("--log-node-width: 28ch", cut.Find("[data-testid=log-lines]").GetAttribute("style"));
        // With only short names the column still fits the engine's own label.
        Assert.Equal(LogView.EngineLabel.Length, LogView.NodeColumnWidth(["cp-1", "w1-1"]));
    }

    private static Task SetFilterAsync(IRenderedComponent<LogView> cut, string label, string value)
    {
        var select = cut.FindComponents<MudBlazor.MudSelect<string>>().Single(s => s.Instance.Label == label);
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }
}
