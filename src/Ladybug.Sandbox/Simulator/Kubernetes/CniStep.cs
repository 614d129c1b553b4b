using Ladybug.Sandbox.Catalog;
using System.Globalization;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary><c>cni</c>: canal or kilo from its upstream manifest with the cluster's pod CIDR.</summary>
internal sealed class CniStep : KubernetesStep
{
    public override string Name => "cni";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var cni = args.OneOf("cni", "canal", "kilo");
        var podCidr = args.Cidr("pod-cidr");
        var manifest = args.Required("manifest-url");
        // Without --mtu the CNI auto-detects it from the NIC (AWS: 9001), what the engine did before it passed one.
        int? mtu = args.Optional("mtu") is null ? null : args.Seconds("mtu");
        if (mtu is < 576 or > 9001)
            throw new NodeStepFailure($"--mtu={mtu} is not an IPv4 link MTU (576-9001)");
        if (!manifest.StartsWith("https://", StringComparison.Ordinal))
            throw new NodeStepFailure($"--manifest-url={manifest} is not an https URL");
        var sha256 = args.Optional("manifest-sha256");
        string? image = null;
        string? crds = null;
        if (cni == "kilo")
        {
            crds = args.Required("crds-url");
            image = args.Required("image");
        }
        var cluster = RequireAdmin(context);
        if (cluster.PodCidr != podCidr)
            throw new NodeStepFailure($"the controller manager does not allocate node subnets from {podCidr}");
        await RequireManifestAsync(context, cni, manifest, sha256, crds);
        if (cluster.Cni is { } installed && installed != cni)
            throw new NodeStepFailure($"{installed} is already the pod network of this cluster; {cni} would conflict with it");

        var verb = cluster.Cni is null ? "created" : "unchanged";
        List<string> lines = cni == "canal"
            ?
            [
                .. new[] { "bgpconfigurations", "bgppeers", "blockaffinities", "clusterinformations", "felixconfigurations", "globalnetworkpolicies",
                        "globalnetworksets", "hostendpoints", "ipamblocks", "ipamconfigs", "ipamhandles", "ippools", "networkpolicies", "networksets" }
                    .Select(crd => $"customresourcedefinition.apiextensions.k8s.io/{crd}.crd.projectcalico.org {verb}"),
                $"configmap/canal-config {verb}",
                $"clusterrole.rbac.authorization.k8s.io/calico-node {verb}",
                $"clusterrole.rbac.authorization.k8s.io/flannel {verb}",
                $"clusterrolebinding.rbac.authorization.k8s.io/canal-flannel {verb}",
                $"clusterrolebinding.rbac.authorization.k8s.io/canal-calico {verb}",
                $"daemonset.apps/canal {verb}",
                $"serviceaccount/canal {verb}",
                $"deployment.apps/calico-kube-controllers {verb}",
                $"serviceaccount/calico-kube-controllers {verb}",
            ]
            :
            [
                $"customresourcedefinition.apiextensions.k8s.io/peers.kilo.squat.ai {verb}",
                $"serviceaccount/kilo {verb}",
                $"clusterrole.rbac.authorization.k8s.io/kilo {verb}",
                $"clusterrolebinding.rbac.authorization.k8s.io/kilo {verb}",
                $"configmap/kilo {verb}",
                $"daemonset.apps/kilo {verb}",
                Log($"kilo image pinned to {image}, full mesh"),
            ];
        lines.Add(Log($"{cni} applied with pod CIDR {podCidr}" + (mtu is null ? "" : $", MTU {mtu}")));
        await context.WorkAsync(lines);
        UpdateCluster(context, c => c with { Cni = cni, PodMtu = mtu });
        return 0;
    }

    /// <summary>
    /// cni.sh downloads the manifest (curl 404 for anything upstream does not have), checks its sha256 when pinned, and
    /// looks for flannel's "Network" to patch: a Calico Jekyll stub (102 bytes of "{% helm %}") has none.
    /// </summary>
    private static async Task RequireManifestAsync(NodeStepContext context, string cni, string url, string? sha256, string? crdsUrl)
    {
        var manifest = UpstreamArtifacts.Instance.Manifest(url);
        if (manifest is null)
            throw await UpstreamFailures.DownloadAsync(context, url, "/tmp/ladybug-cni.yaml");
        if (sha256 is not null && !string.Equals(sha256, manifest.Sha256, StringComparison.Ordinal))
            throw new NodeStepFailure(
                $"sha256sum: WARNING: 1 computed checksum did NOT match\n[ladybug] error: the manifest from {url} does not have sha256 {sha256}", 1, verbatim: true);
        if (cni == "canal" && manifest.Kind != "canal")
            throw new NodeStepFailure("canal manifest has no flannel \"Network\" setting to patch");
        if (cni == "kilo")
        {
            if (manifest.Kind != "kilo")
                throw new NodeStepFailure("could not configure Kilo's full mesh");
            if (UpstreamArtifacts.Instance.Manifest(crdsUrl!) is not { Kind: "kilo-crds" })
                throw await UpstreamFailures.DownloadAsync(context, crdsUrl!, "/tmp/ladybug-kilo-crds.yaml");
        }
    }
}
