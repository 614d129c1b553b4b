using System.Globalization;
using Ladybug.Engine.Domain;
using MudBlazor;

namespace Ladybug.Web.Services;

/// <summary>How times, durations and states read on every page, in one place.</summary>
public static class DisplayFormat
{
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 0 => "0 s",
        < 10 => $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
        < 60 => $"{(int)span.TotalSeconds} s",
        < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds:00} s",
        _ => $"{(int)span.TotalHours} h {span.Minutes:00} min",
    };

    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var span = now - time;
        return span.TotalSeconds switch
        {
            < 45 => "just now",
            < 90 => "a minute ago",
            < 3600 => $"{(int)Math.Round(span.TotalMinutes)} minutes ago",
            < 5400 => "an hour ago",
            < 86400 => $"{(int)Math.Round(span.TotalHours)} hours ago",
            < 172800 => "yesterday",
            _ => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Words(string pascalCase) =>
        string.Concat(pascalCase.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>A value that may be missing (an Azure zone, an IP not yet assigned), with a dash standing in for nothing.</summary>
    public static string OrDash(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;

    /// <summary>A VM spec as people name it: Tumblebug's ids ("aws+ap-northeast-1+t3.medium") end in the CSP's own name.</summary>
    public static string SpecName(string spec) => spec[(spec.LastIndexOf('+') + 1)..];

    public static string Role(NodeRole role) => role == NodeRole.ControlPlane ? "control plane" : "worker";

    public static string Memory(double gib) => $"{gib.ToString("0.#", CultureInfo.InvariantCulture)} GiB";
}

/// <summary>Colour and icon of a state, whatever its kind (phase, job, step or node state).</summary>
public static class StatusStyles
{
    public static (Color Color, string Icon) For(Enum value) => value switch
    {
        ClusterHealth.Healthy or NodeReadiness.Ready => (Color.Success, Icons.Material.Filled.Favorite),
        ClusterHealth.Degraded or NodeReadiness.Unknown => (Color.Warning, Icons.Material.Filled.Warning),
        ClusterHealth.Unreachable or NodeReadiness.NotReady => (Color.Error, Icons.Material.Filled.LinkOff),
        ClusterPhase.Pending or JobState.Queued or NodeStatus.Pending => (Color.Default, Icons.Material.Outlined.Schedule),
        ClusterPhase.Provisioning or JobState.Running or StepState.Running or NodeStatus.Creating
            or NodeStatus.Bootstrapping or NodeStatus.Joining => (Color.Info, Icons.Material.Filled.Autorenew),
        ClusterPhase.Provisioned or JobState.Succeeded or StepState.Succeeded or NodeStatus.Ready => (Color.Success, Icons.Material.Filled.CheckCircle),
        ClusterPhase.Failed or JobState.Failed or StepState.Failed or NodeStatus.Failed => (Color.Error, Icons.Material.Filled.Error),
        ClusterPhase.Deleting or NodeStatus.Deleting => (Color.Warning, Icons.Material.Filled.DeleteSweep),
        JobState.Cancelled or StepState.Skipped => (Color.Warning, Icons.Material.Filled.Block),
        _ => (Color.Dark, Icons.Material.Outlined.DeleteOutline),
    };
}
