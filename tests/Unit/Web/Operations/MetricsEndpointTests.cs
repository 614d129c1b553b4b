using System.Net;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Bootstrap;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Operations;

/// <summary>
/// /metrics in Prometheus' text format. The engine's instruments are process-wide, and other tests run consoles in
/// this process at the same time: assertions look for series, never for exact counts.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task MetricsAnswer401ToAnonymousCallersAndTheTextFormatToAnApiToken()
    {
        await using var console = new TestConsole(settings: new Dictionary<string, string?>
        {
            ["Ladybug:Tumblebug:Url"] = $"http://127.0.0.1:{TestSandbox.FreePort()}/tumblebug",
        });
        using var anonymous = console.CreateClientWith(null);
        using var admin = console.CreateAdminClient();

        var refused = await anonymous.GetAsync("/metrics");
        var scraped = await admin.GetAsync("/metrics");

        // 401, not the sign-in page: a scraper reads the status.
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AfterASandboxCreateMetricsShowTheStepDurationHistogramAndTheCallsBehindIt()
    {
        await using var console = new TestConsole(settings: new Dictionary<string, string?>
        {
            ["Ladybug:Sandbox:VmCreateDelay"] = "00:00:00.05",
            ["Ladybug:Sandbox:InitializationDelay"] = "00:00:00",
            ["Ladybug:Sandbox:StepLatency"] = "00:00:00.010",
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
            ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
            ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
        });
        using var admin = console.CreateAdminClient();
        var clusters = console.Services.GetRequiredService<ClusterService>();

        var created = await clusters.CreateAsync(new ClusterSpec
        {
            Name = "metered",
            ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
            WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
        });
        var settled = await console.Services.GetRequiredService<ClusterQueries>()
            .WaitForSettledAsync(created.Id, (cluster, _) => cluster.Phase is ClusterPhase.Provisioned or ClusterPhase.Failed, TimeSpan.FromSeconds(120));
        Assert.True(settled.Phase == ClusterPhase.Provisioned, $"{settled.Reason}: {settled.Message}");
        // The exporter caches a scrape for a moment: ask until the job's end is in it.
        var metrics = await Eventually.ReturnsAsync(() => admin.GetStringAsync("/metrics"),
            text => text.Contains("ladybug_jobs_finished_total{"), "the finished job in /metrics");

        // One histogram, a series per step: the plan's steps and the sub-steps on each node.
        Assert.Contains("# TYPE ladybug_step_duration_seconds histogram", metrics);
        Assert.Matches("""ladybug_step_duration_seconds_bucket\{[^}]*ladybug_step="create-machines"[^}]*le="[0-9.]+"\} [1-9]""", metrics);
        Assert.Matches("""ladybug_step_duration_seconds_count\{[^}]*ladybug_step="kubeadm-init"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""ladybug_jobs_finished_total\{[^}]*ladybug_job_kind="Create"[^}]*ladybug_result="Succeeded"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""ladybug_ssh_connects_total\{[^}]*ladybug_result="connected"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""ladybug_tumblebug_calls_total\{[^}]*http_request_method="POST"[^}]*ladybug_tumblebug_status="200"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""ladybug_log_lines_total(\{[^}]*\})? [1-9]""", metrics);
    }
}
