using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Engine.Bootstrap;

/// <summary>Where and as whom to run a script. <see cref="PinnedHostKey"/> null means "trust and pin on first connect".</summary>
public sealed record RemoteHost(string NodeName, string Address, int Port, string User, string PrivateKey, string? PinnedHostKey)
{
    /// <summary>Never the generated record text: that would print the private key.</summary>
    public override string ToString() => $"{NodeName} ({User}@{Address}:{Port})";
}

/// <summary>One line a remote script printed, already redacted. System lines are the shell's own notes (e.g. waiting for SSH).</summary>
public sealed record RemoteOutputLine(LogStream Stream, string Text);

/// <summary>
/// How a script ended. <see cref="Stdout"/> is the raw, unredacted standard output, for the few
/// callers that must parse secrets out of it (join commands, the kubeconfig): never log it.
/// <see cref="Tail"/> is the last lines of both streams, redacted, for failure messages.
/// </summary>
public sealed record RemoteRunResult(int ExitCode, string HostKeyFingerprint, string Stdout, IReadOnlyList<string> Tail) : IHasExitCode
{
    int? IHasExitCode.ExitCode => ExitCode;

    public bool Succeeded => ExitCode == 0;

    // Stdout may hold secrets: keep it out of a record's generated ToString.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ExitCode = ").Append(ExitCode).Append(", HostKeyFingerprint = ").Append(HostKeyFingerprint);
        return true;
    }
}

/// <summary>
/// Runs a bootstrap script on a machine: <c>sudo bash -s -- args</c> with the script on stdin,
/// each output line streamed (redacted) to <c>onLine</c> as it arrives.
/// </summary>
public interface IRemoteShell
{
    /// <summary>
    /// Connects (retrying while the machine boots), checks or pins the host key, runs the script and
    /// returns its exit code. Throws <see cref="RemoteShellException"/> when the machine cannot be
    /// reached, its host key changed or the script timed out; a non-zero exit code is a result, not an exception.
    /// </summary>
    Task<RemoteRunResult> RunAsync(RemoteHost host, RenderedScript script, Action<RemoteOutputLine> onLine, CancellationToken cancellationToken);
}

public enum RemoteShellFailure
{
    /// <summary>No SSH session within the connect window (machine down, port closed, key not accepted yet).</summary>
    Unreachable,
    /// <summary>The machine presented a different host key than the one pinned on first connect.</summary>
    HostKeyChanged,
    /// <summary>The script ran longer than its timeout.</summary>
    TimedOut,
    /// <summary>The connection broke while the script ran.</summary>
    ConnectionLost,
}

/// <summary>A script could not run to completion; the message says which node and why, in words.</summary>
public sealed class RemoteShellException(RemoteShellFailure failure, string message, IReadOnlyList<string>? tail = null, Exception? inner = null)
    : Exception(message, inner)
{
    public RemoteShellFailure Failure { get; } = failure;

    /// <summary>The last redacted lines the script printed before it stopped (empty if it never ran).</summary>
    public IReadOnlyList<string> Tail { get; } = tail ?? [];
}
