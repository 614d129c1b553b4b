using Ladybug.Engine.Domain;

namespace Ladybug.Web.Services;

/// <summary>The console's own URLs for a cluster.</summary>
public static class ClusterPaths
{
    public const string Create = "clusters/new";

    /// <summary>The cluster list, showing only clusters in <paramref name="phase"/> when one is given.</summary>
    public static string List(ClusterPhase? phase = null) => phase is null ? "clusters" : $"clusters?phase={phase}";

    public static string Detail(string ns, string name) => $"clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";

    public static string Logs(string ns, string name) => Detail(ns, name) + "?tab=logs";
}
