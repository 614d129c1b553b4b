using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Ladybug.Api.Contracts;

namespace Ladybug.Tests.E2E;

/// <summary>The console's MCKS API as the administrator, for what a journey sets up or checks behind the browser's back.</summary>
public sealed class ConsoleApi : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleApi(Uri baseAddress)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleHost.AdminUser}:{ConsoleHost.AdminPassword}")));
    }

    /// <summary>Every cluster of the namespace, as stored.</summary>
    public async Task<IReadOnlyList<ClusterResource>> ClustersAsync(string ns = "default") =>
        (await _http.GetFromJsonAsync<ClusterList>($"mcks/ns/{ns}/clusters", McksJson.Options))!.Items;

    public async Task<ClusterResource> ClusterAsync(string name, string ns = "default") =>
        (await _http.GetFromJsonAsync<ClusterResource>($"mcks/ns/{ns}/clusters/{name}", McksJson.Options))!;

    /// <summary>Creates a cluster of one control plane and one worker without waiting for it.</summary>
    public async Task CreateClusterAsync(string name, PoolChoice controlPlane, PoolChoice worker, string ns = "default")
    {
        var request = new ClusterRequest
        {
            Name = name,
            ControlPlane = [new NodeSetRequest { Connection = controlPlane.Connection, Spec = controlPlane.Spec, Count = controlPlane.Count }],
            Worker = [new NodeSetRequest { Connection = worker.Connection, Spec = worker.Spec, Count = worker.Count }],
        };
        (await _http.PostAsJsonAsync($"mcks/ns/{ns}/clusters", request, McksJson.Options)).EnsureSuccessStatusCode();
    }

    /// <summary>Polls the stored cluster until <paramref name="done"/> holds; fails with its last state after <paramref name="timeout"/>.</summary>
    public async Task<ClusterResource> WaitForAsync(string name, Func<ClusterResource, bool> done, TimeSpan timeout, string ns = "default")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var cluster = await ClusterAsync(name, ns);
            if (done(cluster)) return cluster;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Cluster {name} is {cluster.Status.Phase} ({cluster.Status.Reason}: {cluster.Status.Message}) after {timeout}.");
            await Task.Delay(250);
        }
    }

    public void Dispose() => _http.Dispose();
}
