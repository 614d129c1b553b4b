using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Ladybug.Sandbox.Simulator;

namespace Ladybug.Sandbox;

/// <summary>
/// The standalone sandbox cloud (Tumblebug emulator on 127.0.0.1:1323/tumblebug, Basic auth default/default, for use
/// with other tools). Its VMs' SSH commands are answered by the node simulator inside this process (<see cref="SimulatorHost"/>).
/// </summary>
public static class SandboxProgram
{
    public const string StandaloneUrl = "http://127.0.0.1:1323";

    public static async Task<int> Main(string[] args)
    {
        return await RunStandaloneAsync(args);
    }

    /// <summary>Settings as for the console: appsettings.json, environment (Ladybug__Sandbox__Url) and --Ladybug:Sandbox:Url=….</summary>
    private static async Task<int> RunStandaloneAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = new SandboxOptions { Url = StandaloneUrl };
        configuration.GetSection(SandboxOptions.Section).Bind(options);
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));

        if (Machines.SandboxPrerequisites.Problem(options) is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });

        await using var cloud = await SandboxCloud.StartAsync(options, loggerFactory, stop.Token);
        Console.WriteLine($"Sandbox cloud: Tumblebug API at {cloud.TumblebugUrl} (Basic auth {cloud.User}/{cloud.Password}); " +
            $"faults and VMs at {new Uri(cloud.Address, "sandbox/faults")}. VM state in {cloud.StateDirectory}. Ctrl+C stops it and every VM.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }
}
