using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Machines;

/// <summary>The sshds a crashed or killed sandbox run left running in its state directory, found by their pid files.</summary>
internal static class LeftoverSshds
{
    /// <summary>
    /// Stops sshds a previous run left in this state directory (it crashed or was killed), all at once: every one is
    /// signalled first, then their exits are awaited together. One after another, each kill and wait took ~1.8 s
    /// (48 s for 23 VMs before the console answered).
    /// </summary>
    public static void Stop(string stateDirectory, ILogger logger)
    {
        if (!Directory.Exists(stateDirectory)) return;
        var leftovers = new List<(int Pid, string Config)>();
        foreach (var pidFile in Directory.EnumerateFiles(stateDirectory, SshdConfig.PidFileName, SearchOption.AllDirectories))
        {
            var config = Path.Combine(Path.GetDirectoryName(pidFile)!, SshdConfig.ConfigFileName);
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && ProcessRunner.CommandLineContains(pid, config))
                leftovers.Add((pid, config));
        }
        if (leftovers.Count == 0) return;
        logger.LogWarning("Stopping {Count} sshd(s) left behind by an earlier sandbox run in {Directory}", leftovers.Count, stateDirectory);
        var signalled = new List<Process>();
        foreach (var leftover in leftovers)
        {
            logger.LogDebug(LeftoverStopping, "Stopping leftover sshd {Pid} ({Config})", leftover.Pid, leftover.Config);
            var process = TryKill(leftover.Pid);
            if (process is not null) signalled.Add(process);
            else logger.LogDebug(LeftoverStopped, "Stopped leftover sshd {Pid}", leftover.Pid);
        }
        // Gone for good before this run takes the VMs' ports back.
        Task.WhenAll(signalled.Select(p => WaitForLeftoverAsync(p, logger))).GetAwaiter().GetResult();
    }

    /// <summary>Marks where one leftover sshd's stop begins and ends in the log (tests check the stops overlap).</summary>
    internal static readonly EventId LeftoverStopping = new(7101, nameof(LeftoverStopping));
    internal static readonly EventId LeftoverStopped = new(7102, nameof(LeftoverStopped));

    /// <summary>The killed process (still to be awaited), or null when it was gone already.</summary>
    private static Process? TryKill(int pid)
    {
        Process? process = null;
        try
        {
            process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            return process;
        }
        catch (ArgumentException)
        {
            // Exited meanwhile.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
        process?.Dispose();
        return null;
    }

    private static async Task WaitForLeftoverAsync(Process process, ILogger logger)
    {
        using (process)
        {
            var pid = process.Id;
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Leftover sshd {Pid} did not exit within 10 s of being killed", pid);
            }
            logger.LogDebug(LeftoverStopped, "Stopped leftover sshd {Pid}", pid);
        }
    }
}
