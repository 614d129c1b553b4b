using System.Diagnostics;

namespace Ladybug.Sandbox.Simulator;

/// <summary>The sshd session process serving this simulator run, found through /proc.</summary>
internal static class SshSession
{
    /// <summary>
    /// Drops the connection the way a network failure would: the nearest sshd ancestor (the per-connection
    /// session, never the listening sshd, which is further up) is killed, so the client gets no exit status.
    /// </summary>
    public static void Drop()
    {
        var pid = Environment.ProcessId;
        for (var depth = 0; depth < 8; depth++)
        {
            pid = ParentOf(pid);
            if (pid <= 1) break;
            if (NameOf(pid) is "sshd" or "sshd-session")
            {
                Process.GetProcessById(pid).Kill();
                break;
            }
        }
        Environment.Exit(NodeSimulator.DroppedExitCode);
    }

    private static int ParentOf(int pid)
    {
        // /proc/<pid>/stat is "pid (comm) state ppid ...", and comm may itself contain spaces or parentheses.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1]);
    }

    private static string NameOf(int pid) => File.ReadAllText($"/proc/{pid}/comm").Trim();
}
