using Ladybug.Engine.Infrastructure;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// What one run of a provisioning job learns in one step and uses in a later one. Nothing here survives a restart:
/// every step that reads it can do without (it asks again, or mints again), so a resumed run rebuilds what it needs.
/// </summary>
internal sealed class ProvisioningScope
{
    /// <summary>Every machine of the group as create-machines just read it; record-machines takes it instead of reading again.</summary>
    public IReadOnlyList<Machine>? MachinesRead { get; set; }

    /// <summary>This run has asked the infrastructure where the machines answer now (or just recorded them).</summary>
    public bool AddressesChecked { get; set; }

    /// <summary>The worker join command from kubeadm init, or one minted on the leader by this run.</summary>
    public JoinCredentials? WorkerJoin { get; set; }

    /// <summary>The control-plane join command (with its certificate key) from kubeadm init, or minted by this run.</summary>
    public JoinCredentials? ControlPlaneJoin { get; set; }

    /// <summary>Takes the machines create-machines read: record-machines uses them once, later reads go to the infrastructure.</summary>
    public IReadOnlyList<Machine>? TakeMachinesRead()
    {
        var machines = MachinesRead;
        MachinesRead = null;
        return machines;
    }
}
