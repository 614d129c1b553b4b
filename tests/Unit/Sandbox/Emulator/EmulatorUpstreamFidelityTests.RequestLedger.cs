using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Emulator;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox.Emulator;

/// <summary>GET /request/{reqId}: the calls Tumblebug tracks under their X-Request-Id.</summary>
public sealed partial class EmulatorUpstreamFidelityTests
{
    [Fact]
    public async Task EveryTrackedCallIsKeptUnderItsRequestIdWithItsOutcome()
    {
        Cloud.Control.Faults = new SandboxFaults { FailPreparationOnConnections = ["gcp-europe-west2"] };
        using var create = new HttpRequestMessage(HttpMethod.Post, "ns/default/infraDynamic")
        {
            Content = new StringContent($$"""{"name":"c1","nodeGroups":[{{Group("cp", Aws, AwsImage)}}]}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-Request-Id", "req-ok");
        using var failing = new HttpRequestMessage(HttpMethod.Post, "ns/default/infraDynamic")
        {
            Content = new StringContent($$"""{"name":"c2","nodeGroups":[{{Group("w1", Gcp, GcpImage)}}]}""", Encoding.UTF8, "application/json"),
        };
        failing.Headers.Add("X-Request-Id", "req-failed");
        using var polled = new HttpRequestMessage(HttpMethod.Get, "ns/default/infra/c1?option=status");
        polled.Headers.Add("X-Request-Id", "req-status");

        (await Http.SendAsync(create)).Dispose();
        (await Http.SendAsync(failing)).Dispose();
        var status = await Http.SendAsync(polled);
        var ok = await SendAsync(HttpMethod.Get, "/request/req-ok");
        var failed = await SendAsync(HttpMethod.Get, "/request/req-failed");
        var untracked = await SendAsync(HttpMethod.Get, "/request/req-status");

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(("Success", "POST", "/tumblebug/ns/default/infraDynamic"), (ok.Body.GetProperty("status").GetString(),
            ok.Body.GetProperty("requestInfo").GetProperty("method").GetString(), ok.Body.GetProperty("requestInfo").GetProperty("url").GetString()));
        Assert.Equal("c1", ok.Body.GetProperty("requestInfo").GetProperty("body").GetProperty("name").GetString());
        Assert.Equal("Running:1 (R:1/1)", ok.Body.GetProperty("responseData").GetProperty("status").GetString());
        Assert.Equal("Error", failed.Body.GetProperty("status").GetString());
        Assert.StartsWith("Infra 'c2' creation failed - all NodeGroups failed resource preparation.", failed.Body.GetProperty("errorResponse").GetString());
        Assert.False(status.Headers.Contains("X-Request-Id")); // status polls are not tracked, their id is dropped
        Assert.Equal((HttpStatusCode.NotFound, "Request ID not found"), (untracked.Status, Message(untracked.Body)));
    }

    [Fact]
    public async Task WhileACreateRunsItsRequestShowsHandlingWithProgress()
    {
        Cloud.Control.Faults = new SandboxFaults { NeverRunningOnConnections = ["aws-ap-northeast-1"] };
        using var create = new HttpRequestMessage(HttpMethod.Post, "ns/default/infraDynamic")
        {
            Content = new StringContent($$"""{"name":"c1","nodeGroups":[{{Group("cp", Aws, AwsImage)}}]}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-Request-Id", "req-running");
        using var cancel = new CancellationTokenSource();

        var running = Http.SendAsync(create, cancel.Token);
        JsonElement details = default;
        var seen = await TestSandbox.EventuallyAsync(async () =>
        {
            details = (await SendAsync(HttpMethod.Get, "/request/req-running")).Body;
            // Progress entries are appended as the create goes: wait for the three it reaches before its VMs.
            return details.TryGetProperty("responseData", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() >= 3;
        }, TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.True(seen);
        Assert.Equal("Handling", details.GetProperty("status").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", details.GetProperty("endTime").GetString());
        Assert.Equal(["Prepared resources for VM:cp", "Prepared 1 resources for provisioning Infra: c1", "Start instance provisioning"],
            details.GetProperty("responseData").EnumerateArray().Select(p => p.GetProperty("title").GetString()));
    }
}
