using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Secrets;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Watch;

/// <summary>
/// Follows one Provisioned cluster: lists its nodes and pods through the API endpoint its admin kubeconfig names, then
/// watches both from the lists' resourceVersion (resuming from the last one seen when a watch ends, listing again on
/// 410 Gone), and records what changed. When the endpoint does not answer twice in a row it reads the nodes with
/// kubectl over SSH on a control plane every <see cref="ClusterWatchOptions.SshInterval"/> instead, trying the
/// endpoint again each time; when neither answers the cluster is Unreachable. Nothing escapes: every failure becomes
/// a reason on the cluster.
/// </summary>
internal sealed class ClusterWatcher : IAsyncDisposable
{
    private readonly Guid _clusterId;
    private readonly ClusterWatchRecorder _recorder;
    private readonly SshNodeReader _ssh;
    private readonly ISecretSealer _sealer;
    private readonly IProvisioningEvents _events;
    private readonly ClusterWatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<object> _changes = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly PodTally _pods = new();
    private Task _run = Task.CompletedTask;

    /// <summary>Asks the consumer for a fresh verdict without a watch event (the cluster's nodes changed in the database).</summary>
    private static readonly object Recheck = new();

    public ClusterWatcher(Guid clusterId, ClusterWatchRecorder recorder, SshNodeReader ssh, ISecretSealer sealer, IProvisioningEvents events,
        ClusterWatchOptions options, TimeProvider time, ILogger logger)
    {
        _clusterId = clusterId;
        _recorder = recorder;
        _ssh = ssh;
        _sealer = sealer;
        _events = events;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        RecordedWatch? recorded = null;
        while (recorded is null && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                recorded = await _recorder.LoadAsync(_clusterId, cancellationToken);
                if (recorded is null) return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "The cluster watch could not read cluster {ClusterId}; trying again", _clusterId);
                await DelayAsync(_options.MaxRetryDelay, cancellationToken);
            }
        }
        if (recorded is null) return;
        // A job that adds or removes nodes changes which nodes count; the provisioning's NodeChanged events carry no facts.
        using var subscription = _events.Subscribe(_clusterId, e =>
        {
            if (e is NodeChanged { Facts: null }) _changes.Writer.TryWrite(Recheck);
            return ValueTask.CompletedTask;
        });

        var failures = 0;
        string? nodesVersion = null, podsVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var kubeconfig = recorded.Cluster.SealedKubeconfig;
            var server = recorded.Cluster.ApiEndpoint ?? "(no endpoint)";
            try
            {
                if (kubeconfig is null) throw new InvalidOperationException("the cluster has no admin kubeconfig");
                using var client = Client(_sealer.Unseal(kubeconfig), out server);
                // A watch that is never answered hangs without a response (the client's timeout does not cover watches):
                // ask /version first, which the request timeout does bound.
                await client.Version.GetCodeAsync(cancellationToken);
                failures = 0;
                if (nodesVersion is null || podsVersion is null)
                {
                    (nodesVersion, podsVersion) = await ListAsync(client, cancellationToken);
                    await _recorder.RecordAsync(recorded, Seen(), ClusterWatchMode.Api, cancellationToken);
                }
                else if (recorded.Mode != ClusterWatchMode.Api)
                {
                    // Back from SSH or Unreachable: what was last seen through the API is the state to resume from.
                    await _recorder.RecordAsync(recorded, Seen(), ClusterWatchMode.Api, cancellationToken);
                }
                (nodesVersion, podsVersion) = await WatchAsync(client, recorded, nodesVersion, podsVersion, cancellationToken);
            }
            catch (Exception ex) when (ApiFailure.IsGone(ex))
            {
                // The resourceVersion is older than the server remembers: start over from a fresh list.
                nodesVersion = podsVersion = null;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures++;
                var reason = ApiFailure.Describe(server, ex, _options.RequestTimeout);
                _logger.LogDebug("Cluster {ClusterId}: {Reason}", _clusterId, reason);
                // A watch that dropped once is reconnected before anyone hears of it.
                if (failures == 1 && nodesVersion is not null)
                {
                    await DelayAsync(_options.RetryDelay, cancellationToken);
                    continue;
                }
                await FallBackAsync(recorded, reason, failures, cancellationToken);
            }
        }
    }

    /// <summary>The endpoint does not answer: read the nodes over SSH, or call the cluster Unreachable.</summary>
    private async Task FallBackAsync(RecordedWatch recorded, string apiReason, int failures, CancellationToken cancellationToken)
    {
        try
        {
            if (recorded.Stale) await _recorder.RefreshAsync(recorded, cancellationToken);
            var read = await _ssh.ReadAsync(recorded.Cluster, cancellationToken);
            if (read.Nodes is { } nodes)
            {
                var seen = new Dictionary<string, NodeWatchFacts>(StringComparer.Ordinal);
                foreach (var node in nodes.Where(n => n.Metadata?.Name is not null))
                    seen[node.Metadata.Name] = KubernetesNodeFacts.From(node, null, null).WithPodsOf(recorded.Written.GetValueOrDefault(node.Metadata.Name));
                await _recorder.RecordAsync(recorded, seen, ClusterWatchMode.Ssh, cancellationToken);
                await DelayAsync(_options.SshInterval, cancellationToken);
                return;
            }
            await _recorder.RecordUnreachableAsync(recorded, $"{apiReason}; over SSH: {read.Failure}", cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "The cluster watch of {ClusterId} could not record what it saw", _clusterId);
        }
        await DelayAsync(Backoff(failures), cancellationToken);
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = _options.RetryDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private Kubernetes Client(string kubeconfig, out string server)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
        config.HttpClientTimeout = _options.RequestTimeout;
        server = config.Host;
        return new Kubernetes(config);
    }

    private async Task<(string Nodes, string Pods)> ListAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken);
        _nodes.Clear();
        foreach (var node in nodes.Items) _nodes[node.Metadata.Name] = node;
        _pods.Clear();
        foreach (var pod in pods.Items) _pods.Set(pod);
        return (nodes.Metadata.ResourceVersion, pods.Metadata.ResourceVersion);
    }

    /// <summary>
    /// Both watches and the consumer that records their events, until one of them fails. A watch the server ends
    /// (its timeoutSeconds) is opened again from the last resourceVersion it delivered.
    /// </summary>
    private async Task<(string Nodes, string Pods)> WatchAsync(Kubernetes client, RecordedWatch recorded, string nodesVersion, string podsVersion,
        CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        var timeout = (int)Math.Max(1, _options.WatchTimeout.TotalSeconds);
        var nodes = Task.Run(async () =>
        {
            while (true)
                nodesVersion = await PumpAsync((onError, watchToken) => client.CoreV1.WatchListNodeAsync(resourceVersion: nodesVersion, timeoutSeconds: timeout,
                    allowWatchBookmarks: true, onError: onError, cancellationToken: watchToken), nodesVersion, token);
        }, token);
        var pods = Task.Run(async () =>
        {
            while (true)
                podsVersion = await PumpAsync((onError, watchToken) => client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: podsVersion, timeoutSeconds: timeout,
                    allowWatchBookmarks: true, onError: onError, cancellationToken: watchToken), podsVersion, token);
        }, token);
        var consumer = Task.Run(() => ConsumeAsync(recorded, token), token);
        var first = await Task.WhenAny(nodes, pods, consumer);
        await linked.CancelAsync();
        try
        {
            await Task.WhenAll(nodes, pods, consumer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch when (first.IsFaulted)
        {
        }
        await first; // rethrows the failure that ended the watch
        return (nodesVersion, podsVersion);
    }

    /// <summary>
    /// Reads one watch until the server ends it (its timeoutSeconds); returns the last resourceVersion seen. An ERROR
    /// event (a Status, such as 410 Gone) throws. A watch the server does not end in time has died silently: it throws too.
    /// </summary>
    private async Task<string> PumpAsync<T>(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch, string version,
        CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        Exception? error = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.WatchTimeout + _options.RequestTimeout);
        try
        {
            await foreach (var (type, item) in watch(e => error ??= e, deadline.Token).WithCancellation(deadline.Token))
            {
                if (item?.Metadata?.ResourceVersion is { } seen) version = seen;
                if (type != WatchEventType.Bookmark) await _changes.Writer.WriteAsync((type, (object)item!), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the {typeof(T).Name[2..].ToLowerInvariant()}s watch was not ended by the server within {_options.WatchTimeout + _options.RequestTimeout}");
        }
        if (error is not null) throw error;
        return version;
    }

    /// <summary>Applies every change that is queued, then records once: a burst of events costs one comparison and one write.</summary>
    private async Task ConsumeAsync(RecordedWatch recorded, CancellationToken cancellationToken)
    {
        while (await _changes.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_changes.Reader.TryRead(out var change))
            {
                if (change == Recheck) recorded.Stale = true;
                else if (change is (WatchEventType type, V1Node node)) Apply(_nodes, type, node);
                else if (change is (WatchEventType podType, V1Pod pod))
                {
                    if (podType == WatchEventType.Deleted) _pods.Remove(pod);
                    else _pods.Set(pod);
                }
            }
            await _recorder.RecordAsync(recorded, Seen(), ClusterWatchMode.Api, cancellationToken);
        }
    }

    private static void Apply(Dictionary<string, V1Node> nodes, WatchEventType type, V1Node node)
    {
        if (type == WatchEventType.Deleted) nodes.Remove(node.Metadata.Name);
        else nodes[node.Metadata.Name] = node;
    }

    private Dictionary<string, NodeWatchFacts> Seen()
    {
        var counts = _pods.PodCounts();
        return _nodes.ToDictionary(n => n.Key, n => KubernetesNodeFacts.From(n.Value, counts.GetValueOrDefault(n.Key), _pods.Etcd(n.Key)), StringComparer.Ordinal);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The cluster watch of {ClusterId} ended with an error", _clusterId);
        }
        _stop.Dispose();
    }
}
