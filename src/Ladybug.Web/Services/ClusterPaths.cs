namespace Ladybug.Web.Services;

/// <summary>The console's own URLs for a cluster.</summary>
public static class ClusterPaths
{
    public const string Create = "clusters/new";

    public static string Detail(string ns, string name) => $"clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";

    public static string Logs(string ns, string name) => Detail(ns, name) + "?tab=logs";
}
