using System.Diagnostics;
using System.Text.RegularExpressions;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>Every script as it runs (prelude included, for every version and CNI) is valid bash and passes shellcheck.</summary>
public sealed partial class BootstrapScriptLintTests
{
    private static IEnumerable<RenderedScript> AllRendered() =>
        BootstrapFixtures.Versions.SelectMany(v => new[] { Cni.Canal, Cni.Kilo }.SelectMany(cni => BootstrapFixtures.EveryStep(v, cni)))
            .Concat(BootstrapFixtures.Versions.SelectMany(v => BootstrapFixtures.EveryStep(v, Cni.Kilo, controlPlanes: 1)));

    [GeneratedRegex(@"<<'(?<tag>[A-Z]+)'\n(?<body>#!.*?)\n\k<tag>\n", RegexOptions.Singleline)]
    private static partial Regex EmbeddedScript();

    [Fact]
    public async Task EveryRenderedScriptIsValidBashAndPassesShellcheck()
    {
        var shellcheck = Which("shellcheck")
            ?? throw new InvalidOperationException("shellcheck is not installed; the bootstrap scripts must be checked (./test.sh installs it: apt-get install shellcheck).");
        var directory = Directory.CreateTempSubdirectory("ladybug-scripts-");
        try
        {
            var files = new List<string>();
            foreach (var (script, index) in AllRendered().DistinctBy(s => s.Text).Select((s, i) => (s, i)))
            {
                files.Add(await WriteAsync(directory, $"{index:D3}-{script.Step.Name}.sh", script.Text));
                // Scripts a step installs on the node (e.g. the public-IP boot helper) are checked as well.
                foreach (Match embedded in EmbeddedScript().Matches(script.Text))
                    files.Add(await WriteAsync(directory, $"{index:D3}-{script.Step.Name}-{embedded.Groups["tag"].Value.ToLowerInvariant()}.sh", embedded.Groups["body"].Value + "\n"));
            }
            Assert.Contains(files, f => f.EndsWith("-helper.sh", StringComparison.Ordinal));

            foreach (var file in files)
            {
                var (bashExit, bashOutput) = await RunAsync("bash", "-n", file);
                Assert.True(bashExit == 0, $"bash -n {Path.GetFileName(file)}: {bashOutput}");
            }
            var (exit, output) = await RunAsync(shellcheck, ["--shell=bash", "--severity=style", .. files]);
            Assert.True(exit == 0, $"shellcheck found problems:\n{output}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void EveryStepHasAScriptAndEveryScriptIsAStep()
    {
        var steps = BootstrapStep.All.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var scripts = BootstrapScripts.EmbeddedNames.Where(n => n != "prelude").ToList();
        Assert.Equal(steps, scripts);
    }

    [Fact]
    public void EveryScriptStartsWithItsShebangAndMarkerLine()
    {
        foreach (var step in BootstrapStep.All)
        {
            var lines = BootstrapScripts.Template(step).Split('\n');
            Assert.Equal("#!/usr/bin/env bash", lines[0]);
            Assert.Equal($"# ladybug-step: {step.Name}", lines[1]);
        }
        foreach (var script in AllRendered())
        {
            var lines = script.Text.Split('\n');
            Assert.Equal("#!/usr/bin/env bash", lines[0]);
            Assert.Equal($"# ladybug-step: {script.Step.Name}", lines[1]);
            Assert.Equal(1, lines.Count(l => l.StartsWith(BootstrapStep.MarkerPrefix, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void TheStepBodyRunsOnlyAfterBashHasReadTheWholeScriptWithStdinClosed()
    {
        foreach (var script in BootstrapFixtures.EveryStep("1.23.17", Cni.Kilo))
        {
            Assert.Contains("\nladybug_main() {\n", script.Text);
            Assert.EndsWith("\nladybug_main \"$@\" </dev/null\n", script.Text);
            Assert.DoesNotContain("__LADYBUG_STEP__", script.Text);
            Assert.Contains($"readonly LADYBUG_STEP=\"{script.Step.Name}\"", script.Text);
        }
    }

    private static async Task<string> WriteAsync(DirectoryInfo directory, string name, string text)
    {
        var path = Path.Combine(directory.FullName, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
