using System.Text.Json;
using System.Text.Json.Nodes;
using Ladybug.Sandbox.KubeApi;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// <c>get-nodes</c>: <c>kubectl get nodes -o json</c> with admin.conf on a control plane. kubectl asks the node's own
/// kube-apiserver, which serves what the cluster's API serves everywhere (<see cref="ServedNodes"/>): the same Node
/// objects, health included. kubectl prints a list as a v1 "List" of the items (kubernetes
/// staging/src/k8s.io/kubectl/pkg/cmd/get/get.go printGeneric: "coerce all items into a list", corev1.List).
/// </summary>
internal sealed class GetNodesStep : KubernetesStep
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public override string Name => "get-nodes";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        RequireAdmin(context);
        // Before the API server first served its nodes, kubectl cannot connect to it.
        var nodes = ServedNodes.Read(context.Cluster.Directory)
            ?? throw new NodeStepFailure("The connection to the server localhost:6443 was refused - did you specify the right host or port?", 1, verbatim: true);
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["items"] = nodes,
            ["kind"] = "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
        };
        await context.Out.WriteLineAsync(list.ToJsonString(Indented));
        return 0;
    }
}
