using Ladybug.Cli;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Web.Api;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>What one CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>
/// Runs the real command handlers in-process, with their own home directory (for ~/.ladybug/config.yaml),
/// environment variables and standard input, against a console on a loopback port.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "ladybug-cli-tests", Guid.NewGuid().ToString("N"));
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
    public string ConfigPath => Path.Combine(Home, ".ladybug", "config.yaml");

    public CliHarness() => Directory.CreateDirectory(Home);

    /// <summary>A harness whose environment points at <paramref name="console"/> with the administrator's API token.</summary>
    public static CliHarness SignedInTo(TestConsole console)
    {
        var harness = new CliHarness();
        harness.Environment["LADYBUG_SERVER"] = console.BaseAddress.ToString();
        harness.Environment["LADYBUG_TOKEN"] = console.AdminToken;
        return harness;
    }

    public async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new CliEnvironment(output, error, new StringReader(stdin), name => Environment.GetValueOrDefault(name), Home);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exitCode = await LadybugCli.RunAsync(args, env, timeout.Token);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Nothing holds these files after a run; a failure here must not hide the test's own result.
        }
    }
}

public static class CliAssert
{
    public static CliResult Succeeded(this CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static CliResult Failed(this CliResult result, string expectedError)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expectedError, result.Error);
        return result;
    }
}

/// <summary>The CLI test classes that do not script jobs share one console on a loopback port.</summary>
[CollectionDefinition(Name)]
public sealed class LoopbackConsoleCollection : ICollectionFixture<McksApiFixture>
{
    public const string Name = "CLI on one loopback console";
}

/// <summary>CLI tests against the shared loopback console: each test signs in as the administrator and works in its own namespace.</summary>
public abstract class LoopbackCliTests(McksApiFixture console) : IDisposable
{
    protected McksApiFixture App { get; } = console;
    protected CliHarness Cli { get; } = CliHarness.SignedInTo(console.Console);
    protected string Namespace { get; } = McksApiFixture.NewNamespace();

    protected Task<CliResult> Run(params string[] args) => Cli.RunAsync([.. args, "-n", Namespace]);

    public void Dispose()
    {
        Cli.Dispose();
        GC.SuppressFinalize(this);
    }
}
