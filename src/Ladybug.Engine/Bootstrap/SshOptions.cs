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

    /// <summary>Lines of output kept for a failure message.</summary>
    public int TailLines { get; set; } = 20;
}
