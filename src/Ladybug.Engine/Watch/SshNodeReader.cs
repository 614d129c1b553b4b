using k8s;
using k8s.Models;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Secrets;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Watch;

/// <summary>The outcome of one SSH read: the nodes, or why no control plane could give them.</summary>
internal sealed record SshRead(IReadOnlyList<V1Node>? Nodes, string? Failure);

/// <summary>
/// Reads the Nodes with <c>kubectl get nodes -o json</c> on a control plane over SSH (the get-nodes script), for a
/// cluster whose API endpoint the console cannot reach but whose machines it can (e.g. a security group that opens
/// 6443 to the nodes only). Tries the control planes leader first; the stored host key must match.
/// </summary>
internal sealed class SshNodeReader(IRemoteShell shell, BootstrapScriptRenderer renderer, ISecretSealer sealer, IOptions<ClusterWatchOptions> options)
{
    public async Task<SshRead> ReadAsync(Cluster cluster, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var controlPlanes = cluster.Nodes
            .Where(n => n.Role == NodeRole.ControlPlane && n.DeletedAt is null && n.Status == NodeStatus.Ready)
            .OrderBy(n => n.Name != cluster.LeaderNodeName).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        foreach (var node in controlPlanes)
        {
            if (node.PublicIp is null || node.SealedSshPrivateKey is null)
            {
                failures.Add($"{node.Name} has no address or key");
                continue;
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.SshTimeout);
            try
            {
                var host = new RemoteHost(node.Name, node.PublicIp, node.SshPort, node.SshUser, sealer.Unseal(node.SealedSshPrivateKey), node.HostKeyFingerprint);
                // WaitAsync: a connect attempt that blocks past the deadline is left to finish on its own.
                var result = await shell.RunAsync(host, renderer.GetNodes(options.Value.SshTimeout), _ => { }, deadline.Token).WaitAsync(deadline.Token);
                if (!result.Succeeded)
                {
                    failures.Add($"kubectl on {node.Name} exited {result.ExitCode}: {result.Tail.LastOrDefault() ?? ""}".TrimEnd(' ', ':'));
                    continue;
                }
                var list = KubernetesJson.Deserialize<V1NodeList>(result.Stdout);
                return new SshRead(list.Items?.ToList() ?? [], null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{node.Name} did not answer SSH within {options.Value.SshTimeout.TotalSeconds:0.#} s");
            }
            catch (RemoteShellException ex)
            {
                failures.Add(ex.Message);
            }
            catch (System.Text.Json.JsonException ex)
            {
                failures.Add($"kubectl on {node.Name} printed no node list ({ex.Message})");
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"SSH to {node.Name} failed: {ex.Message}");
            }
        }
        return new SshRead(null, failures.Count == 0 ? "no control plane to connect to" : string.Join("; ", failures));
    }
}
