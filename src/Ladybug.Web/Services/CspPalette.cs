namespace Ladybug.Web.Services;

/// <summary>One colour and display name per cloud provider, shared by badges, the map and its legend.</summary>
public static class CspPalette
{
    private static readonly Dictionary<string, (string Color, string Name)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws"] = ("#f59e0b", "AWS"),
        ["gcp"] = ("#3b82f6", "Google Cloud"),
        ["azure"] = ("#06b6d4", "Azure"),
        ["alibaba"] = ("#f43f5e", "Alibaba Cloud"),
        ["tencent"] = ("#8b5cf6", "Tencent Cloud"),
        ["ibm"] = ("#6366f1", "IBM Cloud"),
        ["openstack"] = ("#dc2626", "OpenStack"),
        ["ncp"] = ("#22c55e", "NAVER Cloud"),
        ["nhn"] = ("#ec4899", "NHN Cloud"),
        ["ktcloud"] = ("#84cc16", "KT Cloud"),
    };

    private static readonly string[] Fallback = ["#14b8a6", "#a855f7", "#eab308", "#0ea5e9", "#f97316", "#64748b"];

    public static string Color(string csp) =>
        Known.TryGetValue(csp, out var known) ? known.Color : Fallback[(int)((uint)StableHash(csp) % Fallback.Length)];

    public static string DisplayName(string csp) =>
        Known.TryGetValue(csp, out var known) ? known.Name : csp;

    // string.GetHashCode is randomised per process; colours must not change between page loads.
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text.ToLowerInvariant()) hash = hash * 31 + c;
        return hash;
    }
}
