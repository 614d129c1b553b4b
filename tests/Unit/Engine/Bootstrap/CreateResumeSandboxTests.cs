using System.Net.Http.Headers;
using Ladybug.Engine;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// The console stops while Tumblebug is creating a cluster's machines, and starts again on the same data dir while
/// Tumblebug goes on: the resumed job asks Tumblebug about the very create call its first run sent, whose request id
/// it kept with the job, instead of guessing from the Infra's status.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class CreateResumeSandboxTests
{
    private static readonly ClusterSpec Spec = new()
    {
        Name = "resumed",
        KubernetesVersion = "1.23.17",
        Cni = Cni.Kilo,
        PodCidr = "10.32.0.0/16",
        ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
        WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
    };

    private static Dictionary<string, string?> Settings(SandboxCloud sandbox) => new()
    {
        ["Ladybug:Tumblebug:Url"] = sandbox.TumblebugUrl.ToString(),
        ["Ladybug:Tumblebug:User"] = sandbox.User,
        ["Ladybug:Tumblebug:Password"] = sandbox.Password,
        ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
        ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
        ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
        ["Ladybug:Ssh:ConnectWindow"] = "00:00:30",
    };

    private static void RealEngine(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
    {
        builder.AddTumblebugInfrastructure();
        builder.AddLadybugBootstrap();
    }

    [Fact]
    public async Task AJobResumedMidCreateAsksTumblebugAboutTheCreateCallItSentBeforeTheRestart()
    {
        // VMs take long enough to be created that the console stops in the middle of it.
        await using var sandbox = await TestSandbox.StartAsync(o => o.VmCreateDelay = TimeSpan.FromSeconds(5));
        var settings = Settings(sandbox);
        await using var first = await EngineHost.StartAsync(RealEngine, settings);
        var cluster = await first.Clusters.CreateAsync(Spec);
        var job = Assert.Single(await first.JobsOfAsync(cluster.Id));
        var callId = (await Eventually.ReturnsAsync(() => first.GetJobAsync(job.Id), j => j.CreateCallId is not null, "the create call's id to be kept")).CreateCallId!;
        await Eventually.TrueAsync(async () => await RequestStatusAsync(sandbox, callId) == "Handling", "Tumblebug to be handling the create");

        await first.StopAsync();
        Assert.Equal((JobState.Running, "create-machines"), ((await first.GetJobAsync(job.Id)).State, (await first.GetJobAsync(job.Id)).CurrentStep));
        sandbox.Control.ClearRequests();
        await using var second = await first.RestartAsync(settings: settings);

        var done = await Eventually.ReturnsAsync(() => second.GetClusterAsync(cluster.Id), c => c.Phase is ClusterPhase.Provisioned or ClusterPhase.Failed,
            "the resumed job to finish", TimeSpan.FromSeconds(120));
        Assert.True(done.Phase == ClusterPhase.Provisioned, $"{done.Reason}: {done.Message}");
        var resumed = await second.WaitForJobToFinishAsync(job.Id);
        Assert.Equal((JobState.Succeeded, 2, callId), (resumed.State, resumed.Attempts, resumed.CreateCallId));
        var requests = sandbox.Control.Requests;
        Assert.Contains(requests, r => r is { Method: "GET" } && r.Path == $"/request/{callId}");
        // The only create is the first run's, recorded when it ends (it went on after its client left).
        Assert.Equal([callId], requests.Where(r => r is { Method: "POST", Path: "/ns/default/infraDynamic" }).Select(r => r.RequestId));
        var log = await second.JobLog.ReadAsync(cluster.Id, 0, 100_000);
        Assert.Contains(log, l => l.Text.Contains($"The create call {callId} sent before the restart is still running", StringComparison.Ordinal));
    }

    /// <summary>What Tumblebug's request ledger says of the call, read over plain HTTP.</summary>
    private static async Task<string?> RequestStatusAsync(SandboxCloud sandbox, string requestId)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{sandbox.User}:{sandbox.Password}")));
        using var response = await http.GetAsync($"{sandbox.TumblebugUrl.AbsoluteUri}/request/{requestId}");
        if (!response.IsSuccessStatusCode) return null;
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetString();
    }
}
