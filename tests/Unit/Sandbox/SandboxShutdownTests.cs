using Ladybug.Tests.Support;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ladybug.Engine.Infrastructure;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>No sshd outlives its sandbox: not on dispose, not when the host process is stopped, not even after a crash.</summary>
public sealed class SandboxShutdownTests
{
    private static readonly MachinePoolRequest[] Pools =
        [new("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04"), new("w1", "azure-westeurope", "Standard_B2s", 2, "default", null, "22.04")];

    [Fact]
    public async Task DisposingTheSandboxStopsEveryVm()
    {
        var cloud = await TestSandbox.StartAsync();
        await using (var client = TumblebugTestClient.For(cloud))
            await client.Infrastructure.CreateMachinesAsync("default", "c1", Pools, TestFirewall.Cluster, null, CancellationToken.None);
        var running = TestSandbox.ListeningSshdsUsing(cloud.StateDirectory);

        await cloud.DisposeAsync();

        Assert.Equal(3, running.Count);
        Assert.Empty(TestSandbox.ProcessesUsing(cloud.StateDirectory));
        Assert.False(Directory.Exists(cloud.StateDirectory));
    }

    [Fact]
    public async Task AStandaloneSandboxStopsItsVmsWhenTerminated()
    {
        var stateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-standalone-{Guid.NewGuid():N}");
        using var sandbox = await StartStandaloneAsync(stateDir);
        await CreateMachinesAsync(sandbox);
        var running = TestSandbox.ListeningSshdsUsing(stateDir);

        Process.Start("kill", ["-TERM", sandbox.Process.Id.ToString()])!.WaitForExit();
        await sandbox.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, running.Count);
        Assert.Equal(0, sandbox.Process.ExitCode);
        Assert.Empty(TestSandbox.ProcessesUsing(stateDir));
    }

    [Fact]
    public async Task VmsLeftByACrashedSandboxAreStoppedByTheNextOneOnTheSameStateDirectory()
    {
        var stateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-crash-{Guid.NewGuid():N}");
        using (var crashed = await StartStandaloneAsync(stateDir))
        {
            await CreateMachinesAsync(crashed);
            crashed.Process.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up
            await crashed.Process.WaitForExitAsync();
        }
        var orphans = TestSandbox.ListeningSshdsUsing(stateDir);

        await using var next = await TestSandbox.StartAsync(o => o.StateDir = stateDir);

        Assert.Equal(3, orphans.Count);
        Assert.True(await TestSandbox.EventuallyAsync(() => TestSandbox.ProcessesUsing(stateDir).Count == 0, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task VmsOfACrashedSandboxComeBackOnTheirAddressesWhenItsStateIsKept()
    {
        var stateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-crash-kept-{Guid.NewGuid():N}");
        try
        {
            IReadOnlyList<Machine> created;
            using (var crashed = await StartStandaloneAsync(stateDir, keepState: true))
            {
                created = await CreateMachinesAsync(crashed);
                Assert.True(await TestSandbox.EventuallyAsync(() => SavedRunningNodes(stateDir) == 3, TimeSpan.FromSeconds(10)), "the state was never saved");
                crashed.Process.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up
                await crashed.Process.WaitForExitAsync();
            }
            var orphans = TestSandbox.ListeningSshdsUsing(stateDir);

            var next = await TestSandbox.StartAsync(o => (o.StateDir, o.KeepState) = (stateDir, true));
            IReadOnlyList<Machine> restored;
            await using (var client = TumblebugTestClient.For(next))
                restored = await client.Infrastructure.GetMachinesAsync("default", "c1", CancellationToken.None);
            var running = TestSandbox.ListeningSshdsUsing(stateDir);
            await next.DisposeAsync();

            Assert.Equal(3, orphans.Count);
            Assert.Equal(created.OrderBy(m => m.Id), restored.OrderBy(m => m.Id));
            Assert.Equal(3, running.Count);
            Assert.Empty(orphans.Intersect(running));
            Assert.Empty(TestSandbox.ProcessesUsing(stateDir));
        }
        finally
        {
            if (Directory.Exists(stateDir)) Directory.Delete(stateDir, recursive: true);
        }
    }

    private static int SavedRunningNodes(string stateDir)
    {
        try
        {
            using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(stateDir, "emulator.json")));
            return saved.RootElement.GetProperty("infras").EnumerateArray().SelectMany(i => i.GetProperty("nodes").EnumerateArray())
                .Count(n => n.GetProperty("status").GetString() == "Running" && n.GetProperty("machine").ValueKind == JsonValueKind.Object);
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task AStandaloneSandboxWithoutSshdExitsSayingWhatToInstall()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(SandboxCloud).Assembly.Location, $"--Ladybug:Sandbox:Url=http://127.0.0.1:{TestSandbox.FreePort()}", "--Ladybug:Sandbox:SshdPath=/nonexistent/sshd" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;

        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, process.ExitCode);
        Assert.Equal("The sandbox cloud runs every VM as an OpenSSH server, but /nonexistent/sshd was not found. Install it with: sudo apt-get install openssh-server", error.Trim());
    }

    private static async Task<IReadOnlyList<Machine>> CreateMachinesAsync(Standalone sandbox)
    {
        await using var client = TumblebugTestClient.For(sandbox.TumblebugUrl, "default", "default");
        var machines = await client.Infrastructure.CreateMachinesAsync("default", "c1", Pools, TestFirewall.Cluster, null, CancellationToken.None);
        Assert.Equal(3, machines.Count);
        return machines;
    }

    /// <summary>The sandbox as its own process: <c>dotnet Ladybug.Sandbox.dll</c> with the standalone settings overridden.</summary>
    private static async Task<Standalone> StartStandaloneAsync(string stateDir, bool keepState = false)
    {
        var port = TestSandbox.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     typeof(SandboxCloud).Assembly.Location, $"--Ladybug:Sandbox:Url=http://127.0.0.1:{port}",
                     $"--Ladybug:Sandbox:StateDir={stateDir}", $"--Ladybug:Sandbox:KeepState={keepState}", "--Ladybug:Sandbox:VmCreateDelay=00:00:00.05", "--Ladybug:Sandbox:InitializationDelay=00:00:00",
                     // Machines are compared before and after: none may read Undefined by chance.
                     "--Ladybug:Sandbox:Faults:UndefinedStatusRate=0",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sandbox = new Standalone(process, $"http://127.0.0.1:{port}/tumblebug");
        using var http = new HttpClient();
        var ready = await TestSandbox.EventuallyAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"{sandbox.TumblebugUrl}/readyz")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60));
        Assert.True(ready, "the standalone sandbox did not become ready");
        return sandbox;
    }

    private sealed record Standalone(Process Process, string TumblebugUrl) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
