using System.Diagnostics;

namespace Ladybug.Sandbox.Simulator;

/// <summary>The sshd session process serving an SSH command on a sandbox VM, found through /proc.</summary>
internal static class SshSession
{
    /// <summary>
    /// Drops the connection the way a network failure would: the nearest sshd ancestor of <paramref name="pid"/> (the
    /// per-connection session, never the listening sshd, which is further up) is killed, so the client gets no exit status.
    /// </summary>
    public static void DropAbove(int pid)
    {
        try
        {
            for (var depth = 0; depth < 8; depth++)
            {
                pid = ParentOf(pid);
                if (pid <= 1) return;
                if (NameOf(pid) is "sshd" or "sshd-session")
                {
                    Process.GetProcessById(pid).Kill();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
        {
            // The session is already gone.
        }
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
