namespace Ladybug.Engine.Bootstrap;

/// <summary>Section "Ladybug:Ssh": how the engine reaches machines.</summary>
public sealed class SshOptions
{
    public const string Section = "Ladybug:Ssh";

    /// <summary>How long to keep trying to connect while a new machine boots (sshd down, key not installed yet).</summary>
    public TimeSpan ConnectWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One connection attempt: TCP connect plus SSH handshake and authentication.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Pause between connection attempts.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SSH keepalive, so NAT gateways and firewalls do not drop a quiet long step (kubeadm pulls images silently).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Default limit for one step on one node; steps that wait on purpose set their own.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an SSH connection is kept open after a step for the next step on the same machine; zero closes it at once.</summary>
    public TimeSpan IdleConnectionLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Key exchanges offered first, comma-separated, most preferred first; SSH.NET's others follow, so every server
    /// still connects. The default puts the fast ones first: ML-KEM hybrid (post-quantum, OpenSSH 9.9 and later) and
    /// curve25519, as Go's SSH library (and so the original MCKS) does. SSH.NET's own first choice against OpenSSH
    /// 8.5–9.8 would be the sntrup761 hybrid, whose managed key generation costs about 90 ms of CPU per connection:
    /// 4.5 CPU-seconds for a 50-node cluster, all on the critical path's first step. Put
    /// <c>sntrup761x25519-sha512</c> first if post-quantum key exchange with older servers matters more than that.
    /// </summary>
    public string PreferredKeyExchanges { get; set; } = "mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org";

    /// <summary>Lines of output kept for a failure message.</summary>
    public int TailLines { get; set; } = 20;
}
