using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Sandbox;
using Ladybug.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web;

/// <summary>The console's run modes: the embedded sandbox when no Tumblebug is configured, the configured one otherwise.</summary>
public sealed class InfrastructureExtensionsTests
{
    private static TestConsole Console(params (string Key, string Value)[] settings) =>
        new(settings: new Dictionary<string, string?>([new("Ladybug:Sandbox:VmCreateDelay", "00:00:00.05"), new("Ladybug:Sandbox:InitializationDelay", "00:00:00"), new("Ladybug:Sandbox:Faults:UndefinedStatusRate", "0"), .. settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))]));

    [Fact]
    public async Task WithoutATumblebugUrlTheConsoleRunsTheSandboxInProcessAndStopsItsVmsWithIt()
    {
        var console = Console();
        var sandboxDir = Path.Combine(console.DataDir, "sandbox");
        var infrastructure = console.Services.GetRequiredService<IInfrastructure>();

        var health = await infrastructure.CheckAsync(CancellationToken.None);
        var machines = await infrastructure.CreateMachinesAsync("default", "c1",
            [new MachinePoolRequest("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04")], TestFirewall.Cluster, null, CancellationToken.None);
        var running = TestSandbox.ListeningSshdsUsing(sandboxDir);
        await console.DisposeAsync();

        Assert.True(health.Ready, health.Message);
        Assert.True(health.IsSandbox);
        Assert.StartsWith("http://127.0.0.1:", health.Endpoint);
        Assert.EndsWith("/tumblebug", health.Endpoint);
        Assert.Equal("Running", Assert.Single(machines).Status);
        Assert.NotEmpty(running);
        // Killed sessions and shims leave the process table a moment after their sshd.
        Assert.True(await TestSandbox.EventuallyAsync(() => TestSandbox.ProcessesUsing(sandboxDir).Count == 0, TimeSpan.FromSeconds(10)), "the console left a sandbox process running");
    }

    [Fact]
    public async Task TheConsolesSandboxStillHasItsVmsWhenTheConsoleStartsAgain()
    {
        // Both consoles run on one data directory, as ./run.sh does across restarts.
        var dataDir = Directory.CreateTempSubdirectory("ladybug-restart-").FullName;
        var sameData = ("Ladybug:DataDir", dataDir);
        var sandboxDir = Path.Combine(dataDir, "sandbox");
        IReadOnlyList<Machine> created;
        await using (var first = Console(sameData))
            created = await first.Services.GetRequiredService<IInfrastructure>().CreateMachinesAsync("default", "c1",
                [new MachinePoolRequest("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04")], TestFirewall.Cluster, null, CancellationToken.None);
        // The factory's dispose may return while the host is still stopping the sandbox.
        var stoppedBetweenRuns = await TestSandbox.EventuallyAsync(() => TestSandbox.ProcessesUsing(sandboxDir).Count == 0, TimeSpan.FromSeconds(10));

        var second = Console(sameData);
        var restored = await second.Services.GetRequiredService<IInfrastructure>().GetMachinesAsync("default", "c1", CancellationToken.None);
        var running = TestSandbox.ListeningSshdsUsing(sandboxDir);
        await second.DisposeAsync();

        Assert.True(stoppedBetweenRuns, "the first console left an sshd running");
        Assert.Equal(created, restored);
        Assert.Single(running);
        Assert.True(await TestSandbox.EventuallyAsync(() => TestSandbox.ProcessesUsing(sandboxDir).Count == 0, TimeSpan.FromSeconds(10)), "the second console left an sshd running");
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task WithATumblebugUrlNoSandboxIsStarted()
    {
        await using var console = Console(("Ladybug:Tumblebug:Url", $"http://127.0.0.1:{TestSandbox.FreePort()}/tumblebug"), ("Ladybug:Tumblebug:MaxRetries", "1"));

        var endpoint = console.Services.GetRequiredService<ITumblebugEndpoint>();
        var health = await console.Services.GetRequiredService<IInfrastructure>().CheckAsync(CancellationToken.None);

        Assert.IsType<ConfiguredTumblebugEndpoint>(endpoint);
        Assert.Null(console.Services.GetService<EmbeddedSandboxCloud>());
        Assert.False(health.IsSandbox);
        Assert.False(health.Ready);
        Assert.False(Directory.Exists(Path.Combine(console.DataDir, "sandbox")));
    }

    [Fact]
    public async Task ASandboxThatCannotStartIsReportedByHealthAndTheConsoleStaysUp()
    {
        await using var console = Console(("Ladybug:Sandbox:Url", "http://192.0.2.1:1323"));

        var health = await console.Services.GetRequiredService<IInfrastructure>().CheckAsync(CancellationToken.None);
        using var anonymous = console.CreateClientWith(null);
        var page = await anonymous.GetAsync("/healthz");

        Assert.False(health.Ready);
        Assert.True(health.IsSandbox);
        Assert.Equal("The embedded sandbox cloud could not start: Ladybug:Sandbox:Url 'http://192.0.2.1:1323' is not a loopback address; the sandbox listens on 127.x.y.z only.", health.Message);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }
}
