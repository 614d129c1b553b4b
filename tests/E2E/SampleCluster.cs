using System.Net.Http.Json;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.E2E;

/// <summary>A cluster of one AWS control plane and two GCP workers made through the API, for pages that need one to show.</summary>
public static class SampleCluster
{
    public static async Task ProvisionAsync(TestConsole console, string name)
    {
        using var api = console.CreateAdminClient();
        var request = new ClusterRequest
        {
            Name = name,
            ControlPlane = [new NodeSetRequest { Connection = "aws-ap-northeast-1", Spec = "medium-2c4g", Count = 1 }],
            Worker = [new NodeSetRequest { Connection = "gcp-europe-west2", Spec = "medium-2c4g", Count = 2 }],
        };
        (await api.PostAsJsonAsync("mcks/ns/default/clusters", request, McksJson.Options)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while ((await api.GetFromJsonAsync<ClusterResource>($"mcks/ns/default/clusters/{name}", McksJson.Options))!.Status.Phase != "Provisioned")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not provision in 90 s.");
            await Task.Delay(250);
        }
    }
}
