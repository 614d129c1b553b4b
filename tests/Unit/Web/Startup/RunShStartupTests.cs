using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Ladybug.Tests.Support;
using Ladybug.Web.Startup;

namespace Ladybug.Tests.Unit.Web.Startup;

/// <summary>
/// The console started as <c>./run.sh</c> starts it (its own process, the settings run.sh passes, the embedded sandbox
/// and its sample cluster), twice on one data directory: the first start's output ends with the block that says where
/// to open the console and how to sign in; a later start says how to reset the password instead of showing one.
/// </summary>
public sealed partial class RunShStartupTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task StartUpOutputEndsWithOneBlockOfUrlUserPasswordThenTheLabelledEmulator()
    {
        var dataDir = Directory.CreateTempSubdirectory("ladybug-runsh-").FullName;
        try
        {
            string password;
            await using (var first = RunningConsole.Start(dataDir))
            {
                var block = await first.BannerAsync();
                var url = block.ConsoleUrl;
                Assert.Matches(@"^http://127\.0\.0\.1:[1-9][0-9]*$", url);
                Assert.Equal("admin", block.User);
                var shown = PasswordShown().Match(block.Password);
                Assert.True(shown.Success, $"The first start shows no password: '{block.Password}'");
                password = shown.Groups["password"].Value;
                Assert.Matches(@"^http://127\.0\.0\.1:[0-9]+/tumblebug$", block.SandboxUrl);
                Assert.NotEqual(url, block.SandboxUrl);
                // Start-up output before the block: the sample cluster is queued, no Kestrel "Now listening" of the
                // sandbox's own server that could be taken for the console's address.
                Assert.DoesNotContain(first.Lines, l => l.Contains("Now listening on", StringComparison.Ordinal));

                using var client = new HttpClient { BaseAddress = new Uri(url) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", TestConsole.BasicCredentials(block.User, password));
                using var clusters = await client.GetAsync("/mcks/ns/default/clusters");
                Assert.Equal(HttpStatusCode.OK, clusters.StatusCode);
                Assert.Contains("\"demo\"", await clusters.Content.ReadAsStringAsync());
            }

            await using var later = RunningConsole.Start(dataDir);
            var again = await later.BannerAsync();
            Assert.Equal("the one shown at the first start; to reset it, start once with --Ladybug:Admin:Password='<new password>'", again.Password);
            Assert.DoesNotContain(later.Lines, l => l.Contains(password, StringComparison.Ordinal));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by an ending process; the OS cleans the temp folder eventually.
            }
        }
    }

    [GeneratedRegex(@"^(?<password>\S+)   \(shown only this once\)$")]
    private static partial Regex PasswordShown();

    /// <summary>The banner's lines, read by their labels, after checking they come in the block's order with nothing between.</summary>
    private sealed record Banner(string ConsoleUrl, string User, string Password, string SandboxUrl)
    {
        private static readonly string[] Labels =
        [
            StartupBannerText.Rule, "  Open Ladybug:  ", "  User:          ", "  Password:      ", "",
            "  Sandbox cloud's Tumblebug emulator (its API, not the console): ", StartupBannerText.Rule,
        ];

        public static Banner? Find(IReadOnlyList<string> lines)
        {
            var start = -1;
            for (var i = 0; i < lines.Count; i++)
                if (lines[i] == StartupBannerText.Rule) { start = i; break; }
            if (start < 0 || lines.Count < start + Labels.Length) return null;
            for (var i = 0; i < Labels.Length; i++)
            {
                var expectedEmpty = Labels[i].Length == 0;
                if (expectedEmpty ? lines[start + i].Length != 0 : !lines[start + i].StartsWith(Labels[i], StringComparison.Ordinal))
                    throw new Xunit.Sdk.XunitException($"Line {i} of the block should start with '{Labels[i]}' but is '{lines[start + i]}'. Output:\n{string.Join('\n', lines)}");
            }
            Assert.Equal(2, lines.Count(l => l == StartupBannerText.Rule));
            string Value(int i) => lines[start + i][Labels[i].Length..];
            return new Banner(Value(1), Value(2), Value(3), Value(5));
        }
    }

    /// <summary><c>dotnet Ladybug.Web.dll</c> with run.sh's settings on a free loopback port; stopped with SIGTERM like Ctrl+C.</summary>
    private sealed class RunningConsole : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private RunningConsole(Process process) => _process = process;

        public IReadOnlyList<string> Lines => _lines.ToList();

        public static RunningConsole Start(string dataDir)
        {
            var web = typeof(Program).Assembly.Location;
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                // Where appsettings.json is, as 'dotnet run' starts the console in its project folder.
                WorkingDirectory = Path.GetDirectoryName(web)!,
            };
            start.Environment["DOTNET_ENVIRONMENT"] = null;
            start.Environment["ASPNETCORE_ENVIRONMENT"] = null;
            start.ArgumentList.Add(web);
            foreach (var arg in new[] { "--urls", "http://127.0.0.1:0", $"--Ladybug:DataDir={dataDir}", "--Ladybug:Sandbox:InitializationDelay=00:00:00" }.Concat(RunShSettings()))
                start.ArgumentList.Add(arg);
            var process = Process.Start(start)!;
            var console = new RunningConsole(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) console._lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) console._lines.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return console;
        }

        public async Task<Banner> BannerAsync() =>
            (await Eventually.ReturnsAsync(() => Task.FromResult(_process.HasExited ? throw new Xunit.Sdk.XunitException($"The console exited:\n{string.Join('\n', Lines)}") : Banner.Find(Lines)),
                b => b is not null, "the start-up banner", StartTimeout))!;

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                // SIGTERM, as Ctrl+C: the console stops its sandbox and the sandbox's sshd VMs with it.
                Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
                try
                {
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                }
                catch (TimeoutException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }

        /// <summary>The --Ladybug:… and --Logging:… settings run.sh passes, read from run.sh itself.</summary>
        private static IEnumerable<string> RunShSettings()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "run.sh"))) dir = dir.Parent;
            Assert.True(dir is not null, "run.sh not found above the test's folder");
            var settings = File.ReadLines(Path.Combine(dir.FullName, "run.sh")).Where(l => !l.TrimStart().StartsWith('#'))
                .SelectMany(l => RunShSetting().Matches(l).Select(m => m.Value)).ToList();
            Assert.Contains("--Ladybug:Sandbox:DemoCluster=true", settings);
            return settings;
        }
    }

    [GeneratedRegex(@"--(Ladybug|Logging):[A-Za-z0-9:.]+=[^\s""]+")]
    private static partial Regex RunShSetting();
}
