using System.Collections.Concurrent;
using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// The kubeadm steps (Cluster API's "bootstrap" half): prepare the nodes, init the first control plane, install the
/// CNI, join the others, and store the kubeconfig; certificate renewal and the pod-network check too. Every step reads
/// what it needs from the database (<see cref="ClusterStateLoader"/>), so a resumed job rebuilds the same picture;
/// what only one run knows (the join commands from init) lives in its <see cref="ProvisioningScope"/> and is minted
/// again when a resumed run lacks it. The machines are <see cref="MachineSteps"/>', removal and rollback
/// <see cref="TeardownSteps"/>'.
/// </summary>
internal sealed partial class ClusterProvisioner(
    ClusterStateLoader states,
    NodeScripts scripts,
    BootstrapScriptRenderer renderer,
    ISecretSealer sealer,
    IOptions<BootstrapOptions> options)
{
    private BootstrapOptions Settings => options.Value;

    private static ProvisioningScope Scope(JobContext context) => context.Scope<ProvisioningScope>();

    private Task<ClusterState> LoadStateAsync(JobContext context, CancellationToken cancellationToken) => states.LoadAsync(context, cancellationToken);

    private Task<RemoteRunResult> RunScriptAsync(JobContext context, Node node, RenderedScript script, CancellationToken cancellationToken,
        bool logStdout = true, string? failureReason = null) =>
        scripts.RunAsync(context, node, script, cancellationToken, logStdout, failureReason);

    private static Task ForEachNodeAsync(IReadOnlyList<Node> nodes, int parallelism, Func<Node, CancellationToken, Task> body,
        CancellationToken cancellationToken) => NodeScripts.ForEachNodeAsync(nodes, parallelism, body, cancellationToken);
}
