using System.Globalization;
using System.Text;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Web.Services;

namespace Ladybug.Web.Downloads;

/// <summary>Files the cluster page offers: the admin kubeconfig (audited) and the full job log. Both need a signed-in user.</summary>
public static class ClusterDownloads
{
    public static string KubeconfigPath(string ns, string name) => $"/clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}/kubeconfig";

    public static string LogPath(string ns, string name) => $"/clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}/log";

    public static string KubeconfigFileName(string clusterName) => $"{clusterName}.kubeconfig.yaml";

    public static IEndpointRouteBuilder MapClusterDownloads(this IEndpointRouteBuilder app)
    {
        var clusters = app.MapGroup("/clusters/{ns}/{name}").RequireAuthorization();
        clusters.MapGet("/kubeconfig", DownloadKubeconfigAsync);
        clusters.MapGet("/log", DownloadLogAsync);
        return app;
    }

    private static async Task<IResult> DownloadKubeconfigAsync(string ns, string name, HttpContext context, ClusterQueries queries)
    {
        var cluster = await queries.GetAsync(ns, name, context.RequestAborted);
        if (cluster is null) return Results.NotFound($"Cluster '{name}' was not found in namespace '{ns}'.");
        var user = context.User.Identity?.Name ?? "unknown";
        var kubeconfig = await queries.ReadKubeconfigAsync(cluster.Id, user, context.RequestAborted);
        if (kubeconfig is null)
            return Results.Conflict($"Cluster '{name}' has no kubeconfig while it is {cluster.Phase}; it is available once the cluster is Provisioned.");
        return Results.File(Encoding.UTF8.GetBytes(kubeconfig), "application/yaml", KubeconfigFileName(cluster.Name));
    }

    private static async Task DownloadLogAsync(string ns, string name, HttpContext context, ClusterQueries queries, IJobLog log)
    {
        var cluster = await queries.GetAsync(ns, name, context.RequestAborted);
        if (cluster is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{cluster.Name}.log\"";
        var after = 0L;
        while (true)
        {
            var batch = await log.ReadAsync(cluster.Id, after, ClusterFeed.BatchSize, context.RequestAborted);
            if (batch.Count == 0) break;
            var text = new StringBuilder();
            foreach (var line in batch) text.Append(Format(line)).Append('\n');
            await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
            after = batch[^1].Sequence;
            if (batch.Count < ClusterFeed.BatchSize) break;
        }
    }

    /// <summary>One line of the downloaded log: time, node, step and stream before the text, like the log view shows them.</summary>
    public static string Format(LogLineView line) => string.Create(CultureInfo.InvariantCulture,
        $"{line.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} [{line.NodeName ?? "-"}] [{line.Step ?? "-"}] {line.Stream.ToString().ToLowerInvariant()}: {line.Text}");
}
