namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// <c>renew-certificates</c> on one control plane: <c>kubeadm certs renew all</c> then a restart of its static pods.
/// Renewal re-issues every leaf certificate from now (CertificateValidityPeriod, with the CA's notBefore) keeping its
/// subject and SANs (kubernetes cmd/kubeadm/app/phases/certs/renewal/manager.go RenewUsingLocalCA, certToConfig);
/// admin.conf gets a new client certificate. The running kube-apiserver serves the new certificate only once the
/// script has restarted its static pod (moved the manifests out and back), which the sandbox records here as well.
/// </summary>
internal sealed class RenewCertificatesStep : KubernetesStep
{
    public override string Name => "renew-certificates";

    /// <summary>
    /// What <c>kubeadm certs renew all</c> prints per certificate, in its order (the handlers sorted by name; kubernetes
    /// cmd/kubeadm/app/cmd/certs.go "%s renewed", long names from renewal/manager.go); super-admin.conf from v1.29.
    /// </summary>
    private static readonly string[] Renewed =
    [
        "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself",
        "certificate for serving the Kubernetes API",
        "certificate the apiserver uses to access etcd",
        "certificate for the API server to connect to kubelet",
        "certificate embedded in the kubeconfig file for the controller manager to use",
        "certificate for liveness probes to healthcheck etcd",
        "certificate for etcd nodes to communicate with each other",
        "certificate for serving etcd",
        "certificate for the front proxy client",
        "certificate embedded in the kubeconfig file for the scheduler manager to use",
    ];

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var timeout = args.Seconds("timeout-seconds");
        var command = args.OneOf("certs-command", "certs", "alpha certs");
        var state = RequirePrepared(context);
        RequireSameName(state, name);
        if (state.JoinedAs != ControlPlane || !context.Node.FileExists(AdminKubeconfig))
            throw new NodeStepFailure($"{name} is not a control plane: /etc/kubernetes/manifests/kube-apiserver.yaml does not exist");
        var cluster = Cluster(context);
        var minor = MinorOf(cluster.Version);
        // kubeadm v1.20 graduated "alpha certs" to "certs" and v1.21 removed "alpha certs" (kubernetes CHANGELOG/CHANGELOG-1.20.md, -1.21.md).
        if (command == "certs" && minor < 20)
            throw new NodeStepFailure("unknown command \"certs\" for \"kubeadm\"\nTo see the stack trace of this error execute with --v=5 or higher", 1, verbatim: true);
        if (command == "alpha certs" && minor >= 21)
            throw new NodeStepFailure("unknown command \"certs\" for \"kubeadm alpha\"\nTo see the stack trace of this error execute with --v=5 or higher", 1, verbatim: true);

        var now = DateTimeOffset.UtcNow;
        var before = cluster.Certificates.GetValueOrDefault(name);
        var lines = new List<string> { "[renew] Reading configuration from the cluster..." };
        // kubeadm reads kubeadm-config with admin.conf; an expired admin certificate cannot, and kubeadm falls back
        // (kubernetes cmd/kubeadm/app/cmd/certs.go getInternalCfg): renewal still works, from the files' own attributes.
        if (before is not null && before.OnDisk.NotAfter <= now)
            lines.Add("[renew] Error reading configuration from the Cluster. Falling back to default configuration");
        else
            lines.Add("[renew] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");
        lines.Add("");
        lines.AddRange(Renewed.Select(c => $"{c} renewed"));
        if (minor >= 29) lines.Add("certificate embedded in the kubeconfig file for the super-admin renewed");
        lines.Add("");
        lines.Add("Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.");
        await context.WorkAsync(lines);

        var issued = ClusterCertificates.Fresh(cluster, now);
        var renewed = UpdateCluster(context, c => c with
        {
            Certificates = new(c.Certificates, StringComparer.Ordinal) { [name] = (c.Certificates.GetValueOrDefault(name) ?? ControlPlaneCertificates.Started(issued)) with { OnDisk = issued } },
        });
        context.Node.WriteFile(AdminKubeconfig, ClusterCertificates.AdminKubeconfig(renewed, issued));

        // The script's restart: manifests out, the kubelet stops the pods, manifests back, the API server starts with the files.
        await context.WorkAsync(
        [
            Log("static pod manifests moved to /etc/kubernetes/manifests.ladybug-restart; waiting for the kubelet to stop the control-plane pods"),
            Log("static pod manifests are back in /etc/kubernetes/manifests"),
            Log("waiting for the API server to start with the renewed certificates"),
        ]);
        UpdateCluster(context, c => c with
        {
            Certificates = new(c.Certificates, StringComparer.Ordinal) { [name] = c.Certificates[name] with { Served = c.Certificates[name].OnDisk } },
        });
        if (!await KubeApi.ServedCertificateWait.UntilServedAsync(context.Node.Identity.PublicIp, issued.NotAfter, TimeSpan.FromSeconds(timeout), context.CancellationToken))
            throw new NodeStepFailure($"the API server answering again did not happen within {timeout}s");
        await context.WorkAsync([Log($"{name}: certificates renewed; its API server is healthy with them")]);
        return 0;
    }
}
