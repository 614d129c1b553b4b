using System.Net;
using System.Text.Json;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Jobs;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Tests.Unit.Web.Operations;

/// <summary>
/// /healthz and /readyz on the real console, asked anonymously like a kubelet does. The broker is a Tumblebug URL on
/// a loopback port where nothing listens: a broker that is down.
/// </summary>
public sealed class ProbeTests
{
    private static TestConsole ConsoleWithTheBrokerDown(Action<IServiceCollection>? services = null) => new(services, new Dictionary<string, string?>
    {
        ["Ladybug:Tumblebug:Url"] = $"http://127.0.0.1:{TestSandbox.FreePort()}/tumblebug",
        ["Ladybug:Tumblebug:MaxRetries"] = "1",
    });

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> ReadyzAsync(HttpClient anonymous)
    {
        var response = await anonymous.GetAsync("/readyz");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, text);
    }

    private static string Check(JsonElement body, string name) => body.GetProperty("checks").GetProperty(name).GetProperty("status").GetString()!;

    [Fact]
    public async Task ReadyzReportsTheBrokerDownWhileHealthzStaysUp()
    {
        await using var console = ConsoleWithTheBrokerDown();
        using var anonymous = console.CreateClientWith(null);

        var live = await anonymous.GetAsync("/healthz");
        var (status, body, text) = await ReadyzAsync(anonymous);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // Ready to serve: pages, the API and logs work without the broker, so the pod stays in its service.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Degraded", Check(body, "broker"));
        Assert.Equal("tumblebug not ready", body.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString());
        Assert.Equal("Healthy", Check(body, "database"));
        Assert.Equal("Healthy", Check(body, "migrations"));
        Assert.Equal("Healthy", Check(body, "job-runner"));
        // Anonymous: no address, no exception text.
        Assert.DoesNotContain("127.0.0.1", text);
        Assert.DoesNotContain("refused", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReadyzIsUnavailableWhenTheJobRunnerHasStoppedAndHealthzStaysUp()
    {
        await using var console = ConsoleWithTheBrokerDown();
        using var anonymous = console.CreateClientWith(null);
        var runner = console.Services.GetServices<IHostedService>().OfType<JobRunner>().Single();
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(anonymous)).Status);

        await runner.StopAsync(CancellationToken.None);
        var (status, body, _) = await ReadyzAsync(anonymous);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Check(body, "job-runner"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ReadyzIsUnavailableWhenTheDatabaseDoesNotAnswer()
    {
        var cutOff = new DatabaseKillSwitch();
        await using var console = ConsoleWithTheBrokerDown(cutOff.On<LadybugDbContext>());
        using var anonymous = console.CreateClientWith(null);
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(anonymous)).Status);

        cutOff.Trip();
        var (status, body, text) = await ReadyzAsync(anonymous);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", Check(body, "database"));
        Assert.Equal("unreachable", body.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
        Assert.DoesNotContain("killed", text);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }
}
