namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// The sandbox's shortcut to a cluster a year on: every control plane's leaf certificates (on disk, served by its API
/// server, and the client certificate in its admin.conf) re-issued to expire at a given time, as if kubeadm had issued
/// them a year before. The CA is left as it is. Tests use it to see warnings, expired certificates and renewals.
/// </summary>
public static class CertificateAgeing
{
    /// <returns>The control planes whose certificates were aged.</returns>
    public static IReadOnlyList<string> Age(SimulatedCluster cluster, IEnumerable<SimulatedNode> vms, DateTimeOffset notAfter)
    {
        var state = cluster.Read<KubernetesCluster>(KubernetesCluster.Document);
        if (!state.IsInitialized) return [];
        var dates = ClusterCertificates.Aged(state, notAfter);
        var controlPlanes = state.Nodes.Values.Where(n => n.Role == KubernetesStep.ControlPlane && n.Joined).ToList();
        var aged = cluster.Update<KubernetesCluster>(KubernetesCluster.Document, c => c with
        {
            Certificates = new(controlPlanes.ToDictionary(n => n.Name, _ => ControlPlaneCertificates.Started(dates)), StringComparer.Ordinal),
        });
        var byId = vms.ToDictionary(vm => vm.Identity.Id, StringComparer.Ordinal);
        foreach (var node in controlPlanes)
            if (byId.TryGetValue(node.Machine, out var vm) && vm.FileExists(KubernetesStep.AdminKubeconfig))
                vm.WriteFile(KubernetesStep.AdminKubeconfig, ClusterCertificates.AdminKubeconfig(aged, dates));
        return controlPlanes.Select(n => n.Name).ToList();
    }
}
