using System.Diagnostics;
using System.Net;
using Ladybug.Sandbox.Simulator;

namespace Ladybug.Sandbox.Machines;

/// <summary>A sandbox VM: its directory, loopback address and SSH port, and — once booted — its sshd.</summary>
public sealed class VirtualMachine
{
    internal VirtualMachine(string directory, NodeIdentity identity)
    {
        Directory = directory;
        Identity = identity;
    }

    public string Directory { get; }
    public NodeIdentity Identity { get; internal set; }
    public IPAddress Address => IPAddress.Parse(Identity.PublicIp);
    public int Port => Identity.SshPort;
    public string ConfigPath => Path.Combine(Directory, SshdConfig.ConfigFileName);
    public int? SshdProcessId => Sshd is { HasExited: false } running ? running.Id : null;
    /// <summary>When the sandbox admin stopped the VM (null while it runs): its processes, kubelet and API server included, are down.</summary>
    public DateTimeOffset? StoppedAt { get; internal set; }
    /// <summary>How many times the VM was powered on again after a stop: a connection made before the last stop died with it.</summary>
    public int Boots { get; internal set; }
    internal Process? Sshd { get; set; }
}
