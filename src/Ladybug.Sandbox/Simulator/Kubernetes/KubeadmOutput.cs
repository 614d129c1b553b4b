namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>What kubeadm prints, in its own words and format for the version (1.18 indents continuations with spaces, later ones with a tab).</summary>
internal static class KubeadmOutput
{
    public static IEnumerable<string> Init(string version, string name, string advertise, string endpoint, IReadOnlyList<string> sans,
        string serviceCidr, string dnsDomain, string token, string certificateKey, string discoveryHash)
    {
        var minor = int.Parse(version.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        var indent = minor < 19 ? "    " : "\t";
        var apiServiceIp = FirstServiceIp(serviceCidr);
        var dnsNames = new[] { name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", $"kubernetes.default.svc.{dnsDomain}" }
            .Concat(sans.Where(s => !char.IsDigit(s[0])));
        var ips = new[] { apiServiceIp, advertise }.Concat(sans.Where(s => char.IsDigit(s[0]) && s != advertise));
        var lines = new List<string>();
        if (minor < 19)
            lines.Add($"W{DateTime.UtcNow:MMdd HH:mm:ss.ffffff}    4121 configset.go:202] WARNING: kubeadm cannot validate component configs for API groups [kubelet.config.k8s.io kubeproxy.config.k8s.io]");
        lines.AddRange(
        [
            $"[init] Using Kubernetes version: v{version}",
            "[preflight] Running pre-flight checks",
            "[preflight] Pulling images required for setting up a Kubernetes cluster",
            "[preflight] This might take a minute or two, depending on the speed of your internet connection",
            "[preflight] You can also perform this action in beforehand using 'kubeadm config images pull'",
            "[certs] Using certificateDir folder \"/etc/kubernetes/pki\"",
            "[certs] Generating \"ca\" certificate and key",
            "[certs] Generating \"apiserver\" certificate and key",
            $"[certs] apiserver serving cert is signed for DNS names [{string.Join(' ', dnsNames)}] and IPs [{string.Join(' ', ips)}]",
            "[certs] Generating \"apiserver-kubelet-client\" certificate and key",
            "[certs] Generating \"front-proxy-ca\" certificate and key",
            "[certs] Generating \"front-proxy-client\" certificate and key",
            "[certs] Generating \"etcd/ca\" certificate and key",
            "[certs] Generating \"etcd/server\" certificate and key",
            $"[certs] etcd/server serving cert is signed for DNS names [{name} localhost] and IPs [{advertise} 127.0.0.1 ::1]",
            "[certs] Generating \"etcd/peer\" certificate and key",
            $"[certs] etcd/peer serving cert is signed for DNS names [{name} localhost] and IPs [{advertise} 127.0.0.1 ::1]",
            "[certs] Generating \"etcd/healthcheck-client\" certificate and key",
            "[certs] Generating \"apiserver-etcd-client\" certificate and key",
            "[certs] Generating \"sa\" key and public key",
            "[kubeconfig] Using kubeconfig folder \"/etc/kubernetes\"",
            "[kubeconfig] Writing \"admin.conf\" kubeconfig file",
            "[kubeconfig] Writing \"kubelet.conf\" kubeconfig file",
            "[kubeconfig] Writing \"controller-manager.conf\" kubeconfig file",
            "[kubeconfig] Writing \"scheduler.conf\" kubeconfig file",
            "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
            "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
            "[kubelet-start] Starting the kubelet",
            "[control-plane] Using manifest folder \"/etc/kubernetes/manifests\"",
            "[control-plane] Creating static Pod manifest for \"kube-apiserver\"",
            "[control-plane] Creating static Pod manifest for \"kube-controller-manager\"",
            "[control-plane] Creating static Pod manifest for \"kube-scheduler\"",
            "[etcd] Creating static Pod manifest for local etcd in \"/etc/kubernetes/manifests\"",
            "[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory \"/etc/kubernetes/manifests\". This can take up to 4m0s",
            "[apiclient] All control plane components are healthy after 11.503278 seconds",
            "[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace",
            "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace",
            "[upload-certs] Using certificate key:",
            certificateKey,
            minor < 20
                ? $"[mark-control-plane] Marking the node {name} as control-plane by adding the label \"node-role.kubernetes.io/master=''\""
                : $"[mark-control-plane] Marking the node {name} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]",
            $"[mark-control-plane] Marking the node {name} as control-plane by adding the taints [node-role.kubernetes.io/{(minor < 24 ? "master" : "control-plane")}:NoSchedule]",
            $"[bootstrap-token] Using token: {token}",
            "[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles",
            "[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace",
            "[kubelet-finalize] Updating \"/etc/kubernetes/kubelet.conf\" to point to a rotatable kubelet client certificate and key",
            "[addons] Applied essential addon: CoreDNS",
            "[addons] Applied essential addon: kube-proxy",
            "",
            "Your Kubernetes control-plane has initialized successfully!",
            "",
            "To start using your cluster, you need to run the following as a regular user:",
            "",
            "  mkdir -p $HOME/.kube",
            "  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config",
            "  sudo chown $(id -u):$(id -g) $HOME/.kube/config",
            "",
            "You should now deploy a pod network to the cluster.",
            "Run \"kubectl apply -f [podnetwork].yaml\" with one of the options listed at:",
            "  https://kubernetes.io/docs/concepts/cluster-administration/addons/",
            "",
            "You can now join any number of the control-plane node running the following command on each as root:",
            "",
            $"  kubeadm join {endpoint} --token {token} \\",
            $"{indent}--discovery-token-ca-cert-hash {discoveryHash} \\",
            $"{indent}--control-plane --certificate-key {certificateKey}",
            "",
            "Please note that the certificate-key gives access to cluster sensitive data, keep it secret!",
            "As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use",
            "\"kubeadm init phase upload-certs --upload-certs\" to reload certs afterward.",
            "",
            "Then you can join any number of worker nodes by running the following on each as root:",
            "",
            $"kubeadm join {endpoint} --token {token} \\",
            $"{indent}--discovery-token-ca-cert-hash {discoveryHash} ",
        ]);
        return lines;
    }

    public static IEnumerable<string> Join(string version, string name, string endpoint, bool controlPlane, string advertise)
    {
        var minor = int.Parse(version.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "[preflight] Running pre-flight checks",
            "[preflight] Reading configuration from the cluster...",
            "[preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'",
        };
        if (controlPlane)
        {
            lines.AddRange(
            [
                "[preflight] Running pre-flight checks before initializing the new control plane instance",
                "[preflight] Pulling images required for setting up a Kubernetes cluster",
                "[download-certs] Downloading the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace",
                "[certs] Using certificateDir folder \"/etc/kubernetes/pki\"",
                "[certs] Generating \"apiserver\" certificate and key",
                $"[certs] apiserver serving cert is signed for DNS names [{name} kubernetes kubernetes.default kubernetes.default.svc {endpoint.Split(':')[0]}] and IPs [{advertise}]",
                "[certs] Generating \"etcd/server\" certificate and key",
                "[certs] Generating \"etcd/peer\" certificate and key",
                "[certs] Valid certificates and keys now exist in \"/etc/kubernetes/pki\"",
                "[certs] Using the existing \"sa\" key",
                "[kubeconfig] Writing \"admin.conf\" kubeconfig file",
                "[control-plane] Creating static Pod manifest for \"kube-apiserver\"",
                "[control-plane] Creating static Pod manifest for \"kube-controller-manager\"",
                "[control-plane] Creating static Pod manifest for \"kube-scheduler\"",
                "[check-etcd] Checking that the etcd cluster is healthy",
            ]);
        }
        lines.AddRange(
        [
            minor < 24
                ? $"[kubelet-start] Downloading configuration for the kubelet from the \"kubelet-config-{version[..version.LastIndexOf('.')]}\" ConfigMap in the kube-system namespace"
                : "[kubelet-start] Downloading configuration for the kubelet from the \"kubelet-config\" ConfigMap in the kube-system namespace",
            "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
            "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
            "[kubelet-start] Starting the kubelet",
            "[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap...",
        ]);
        if (controlPlane)
        {
            lines.AddRange(
            [
                $"[etcd] Announced new etcd member joining to the existing etcd cluster",
                $"[etcd] Creating static Pod manifest for \"etcd\"",
                "[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s",
                $"[mark-control-plane] Marking the node {name} as control-plane",
            ]);
        }
        lines.AddRange(
        [
            "",
            "This node has joined the cluster:",
            "* Certificate signing request was sent to apiserver and a response was received.",
            "* The Kubelet was informed of the new secure connection details.",
        ]);
        if (controlPlane)
            lines.Add("* Control plane label and taint were applied to the new node.");
        lines.AddRange(["", "Run 'kubectl get nodes' on the control-plane to see this node join the cluster.", ""]);
        return lines;
    }

    /// <summary>The API service's ClusterIP: the first address of the service CIDR (10.96.0.0/12 → 10.96.0.1).</summary>
    private static string FirstServiceIp(string serviceCidr)
    {
        var bytes = System.Net.IPAddress.Parse(serviceCidr.Split('/')[0]).GetAddressBytes();
        bytes[3] = (byte)(bytes[3] + 1);
        return new System.Net.IPAddress(bytes).ToString();
    }
}
