using Ladybug.Engine;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Bench;

/// <summary>The sandbox and the engine host the provisioning benches share, so their figures are taken alike.</summary>
internal static class BenchSetup
{
    public static async Task<SandboxCloud> StartSandboxAsync(string stateDir)
    {
        var sandbox = await SandboxCloud.StartAsync(new SandboxOptions
        {
            StateDir = stateDir,
            VmCreateDelay = TimeSpan.FromSeconds(1),
            InitializationDelay = TimeSpan.Zero, // the benches measure provisioning, not Tumblebug's start-up
            StepLatencies = new Dictionary<string, TimeSpan>(ProvisionBench.Latencies),
        });
        if (sandbox.Problem is { } problem)
        {
            await sandbox.DisposeAsync();
            throw new InvalidOperationException(problem);
        }
        return sandbox;
    }

    /// <summary>The engine against <paramref name="sandbox"/>'s Tumblebug, with <paramref name="settings"/> on top.</summary>
    public static IHost BuildEngine(SandboxCloud sandbox, string dataDir, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ladybug:DataDir"] = dataDir,
            ["Ladybug:Tumblebug:Url"] = sandbox.TumblebugUrl.ToString(),
            ["Ladybug:Tumblebug:User"] = sandbox.User,
            ["Ladybug:Tumblebug:Password"] = sandbox.Password,
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.500",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLadybugEngine();
        builder.AddTumblebugInfrastructure();
        builder.AddLadybugBootstrap();
        return builder.Build();
    }
}
