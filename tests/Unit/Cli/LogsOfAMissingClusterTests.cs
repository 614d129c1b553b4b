using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>
/// <c>ladybug logs</c> of a cluster that does not exist, stored and followed: the CLI says "not found", and the
/// server, whose log is captured here, treats it as the ordinary answer it is: no exception, no stack trace.
/// </summary>
public sealed class LogsOfAMissingClusterTests : IAsyncLifetime
{
    private readonly CapturedLogs _serverLog = new();
    private TestConsole _console = default!;

    public Task InitializeAsync()
    {
        _console = new TestConsole(services => services.AddSingleton<ILoggerProvider>(_serverLog).AddFakeCloud());
        _ = _console.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();

    [Theory]
    [InlineData]
    [InlineData("-f")]
    public async Task SaysNotFoundAndLeavesNoStackTraceInTheServerLog(params string[] follow)
    {
        using var cli = CliHarness.SignedInTo(_console);

        var result = await cli.RunAsync(["logs", "ghost", .. follow]);

        result.Failed("Cluster 'ghost' was not found in namespace 'default'.");
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        var traces = _serverLog.Entries.Where(e => e.Exception is not null || e.Message.Contains("   at ", StringComparison.Ordinal)).ToList();
        Assert.True(traces.Count == 0, string.Join("\n", traces));
    }
}
