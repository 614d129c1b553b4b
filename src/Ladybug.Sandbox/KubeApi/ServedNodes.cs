using System.Text.Json.Nodes;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// The Node objects a cluster's API server serves, as a file beside the simulated cluster's state, so that kubectl
/// run on a control plane (over SSH) gets what the console would get from the API endpoint: both ask the same
/// kube-apiserver, which serves them from the same etcd.
/// </summary>
internal static class ServedNodes
{
    private const string FileName = "kube-api-nodes.json";

    public static string PathIn(string clusterDirectory) => Path.Combine(clusterDirectory, FileName);

    /// <summary>Writes the nodes when they differ from <paramref name="previous"/>; returns what is written now.</summary>
    public static string Publish(string clusterDirectory, IReadOnlyList<JsonObject> nodes, string previous)
    {
        var json = new JsonArray([.. nodes.Select(n => (JsonNode)n.DeepClone())]).ToJsonString();
        if (json == previous) return previous;
        var path = PathIn(clusterDirectory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
        return json;
    }

    /// <summary>The nodes last published, or null before the API server first served any.</summary>
    public static JsonArray? Read(string clusterDirectory)
    {
        var path = PathIn(clusterDirectory);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonArray : null;
    }
}
