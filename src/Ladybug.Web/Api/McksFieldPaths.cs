using System.Text.RegularExpressions;
using Ladybug.Engine.Domain;

namespace Ladybug.Web.Api;

/// <summary>
/// The validator names fields as the engine's spec does (<c>workerPools[0].count</c>); MCKS clients sent
/// <c>worker[0].count</c>. Errors are reported in the request's own terms.
/// </summary>
internal static partial class McksFieldPaths
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        [SpecPaths.KubernetesVersion] = "config.kubernetes.version",
        [SpecPaths.Cni] = "config.kubernetes.networkCni",
        [SpecPaths.LoadBalancer] = "config.kubernetes.loadbalancer",
        [SpecPaths.PodCidr] = "config.kubernetes.podCidr",
        [SpecPaths.ServiceCidr] = "config.kubernetes.serviceCidr",
        [SpecPaths.DnsDomain] = "config.kubernetes.serviceDnsDomain",
        [SpecPaths.WorkerPools] = "worker",
    };

    private static readonly Dictionary<string, string> PoolFields = new(StringComparer.Ordinal)
    {
        [SpecPaths.Names[(int)PoolField.RootDiskSizeGb]] = "rootDisk.size",
        [SpecPaths.Names[(int)PoolField.RootDiskType]] = "rootDisk.type",
    };

    [GeneratedRegex(@"^(controlPlane|workerPools\[(\d+)\])(?:\.(.+))?$")]
    private static partial Regex PoolPath();

    public static string FromEngine(string path)
    {
        if (Fields.TryGetValue(path, out var mapped)) return mapped;
        var pool = PoolPath().Match(path);
        if (!pool.Success) return path;
        var prefix = pool.Groups[2].Success ? $"worker[{pool.Groups[2].Value}]" : "controlPlane[0]";
        if (!pool.Groups[3].Success) return prefix;
        var field = pool.Groups[3].Value;
        return $"{prefix}.{PoolFields.GetValueOrDefault(field, field)}";
    }

    public static ValidationErrors FromEngine(ValidationErrors engineErrors)
    {
        var translated = new ValidationErrors();
        foreach (var (field, messages) in engineErrors.ByField)
            foreach (var message in messages)
                translated.Add(FromEngine(field), message);
        return translated;
    }

    /// <summary>System.Text.Json's "$.worker[0].count" as a field path, or null for the document itself.</summary>
    public static string? FromJsonPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return null;
        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }
}
