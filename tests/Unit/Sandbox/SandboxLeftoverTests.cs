using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Machines;
using Microsoft.Extensions.Logging;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>
/// A sandbox starting on a state directory that a killed run left sshds in stops them all, and all at once: one after
/// another the console waited ~1.8 s per leftover before it answered (issue 16, item 9).
/// </summary>
public sealed class SandboxLeftoverTests : IDisposable
{
    private const int Leftovers = 4;
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-leftovers-{Guid.NewGuid():N}");

    public void Dispose()
    {
        foreach (var pid in TestSandbox.ProcessesUsing(_stateDir))
        {
            try { Process.GetProcessById(pid).Kill(entireProcessTree: true); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { /* Gone already. */ }
        }
        if (Directory.Exists(_stateDir)) Directory.Delete(_stateDir, recursive: true);
    }

    [Fact]
    public async Task LeftoverSshdsAreAllStoppedAndTheirStopsOverlap()
    {
        var pids = new List<int>();
        for (var i = 0; i < Leftovers; i++) pids.Add(await StartDaemonisedSshdAsync($"vm{i}"));
        Assert.All(pids, pid => Assert.True(IsAlive(pid), $"leftover sshd {pid} is not running before the sandbox starts"));
        var stops = new StopWindows();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(stops));

        await using (await TestSandbox.StartAsync(o => o.StateDir = _stateDir, loggerFactory))
        {
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"leftover sshd {pid} still runs after the sandbox started"));
        }

        var windows = pids.Select(stops.Of).ToList();
        // Concurrent stops: every stop began before any of them ended (one after another, the first ends before the second begins).
        Assert.True(windows.Max(w => w.Start) < windows.Min(w => w.End),
            "the leftover stops did not overlap: " + string.Join(", ", windows.Select(w => $"[{w.Start}, {w.End}]")));
    }

    /// <summary>An sshd as a killed sandbox leaves it: daemonised (no longer anyone's child here), its pid file in its VM directory.</summary>
    private async Task<int> StartDaemonisedSshdAsync(string name)
    {
        var directory = Path.Combine(_stateDir, "infras", "default", "c1", "nodes", name);
        var config = new SshdConfig(directory, IPAddress.Loopback, Sshd.FreePort(IPAddress.Loopback), Environment.UserName, "/bin/true", $"leftover {name}");
        await Sshd.WriteAsync(config, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0u7W5bX2o0hV2xQeY5kq7l0Q8z6m1r3n4p5s6t7u8v leftover", "/usr/bin/ssh-keygen", CancellationToken.None);
        // Without -D sshd forks into the background and its parent exits once the pid file is written.
        using var parent = Process.Start("/usr/sbin/sshd", ["-f", config.ConfigPath, "-E", config.LogPath])!;
        await parent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var pidFile = Path.Combine(directory, SshdConfig.PidFileName);
        Assert.True(await TestSandbox.EventuallyAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(10)),
            $"sshd {name} wrote no pid file: {(File.Exists(config.LogPath) ? File.ReadAllText(config.LogPath) : "no log")}");
        return int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Running and not a zombie awaiting its reaper.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>When the sandbox logged each leftover's stop beginning and ending.</summary>
    private sealed class StopWindows : ILoggerProvider
    {
        private readonly ConcurrentDictionary<(int Pid, int Event), long> _marks = new();

        public (long Start, long End) Of(int pid)
        {
            Assert.True(_marks.TryGetValue((pid, LeftoverSshds.LeftoverStopping.Id), out var start), $"no stop began for {pid}");
            Assert.True(_marks.TryGetValue((pid, LeftoverSshds.LeftoverStopped.Id), out var end), $"no stop ended for {pid}");
            return (start, end);
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(StopWindows owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var now = Stopwatch.GetTimestamp();
                if (eventId.Id != LeftoverSshds.LeftoverStopping.Id && eventId.Id != LeftoverSshds.LeftoverStopped.Id) return;
                if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "Pid").Value is int pid)
                    owner._marks[(pid, eventId.Id)] = now;
            }
        }
    }
}
