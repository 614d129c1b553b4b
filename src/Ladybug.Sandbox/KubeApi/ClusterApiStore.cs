using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>A change the watch streams: "ADDED", "MODIFIED" or "DELETED" and the object with its new resourceVersion.</summary>
internal sealed record WatchEvent(string Type, string Resource, string Namespace, long ResourceVersion, JsonObject Object);

/// <summary>
/// The objects of one simulated cluster as its API server stores them (one store per cluster, shared by every
/// control plane's endpoint, as they share etcd): each object carries the resourceVersion of its last change, the
/// store remembers recent changes for watches that resume from a resourceVersion, and pushes new ones to open watches.
/// </summary>
internal sealed class ClusterApiStore
{
    /// <summary>How many changes a watch may resume across; older ones get 410 Gone as from etcd's compaction.</summary>
    private const int History = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Resource, string Namespace, string Name), (long Version, string Json, JsonObject Body)> _objects = [];
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<Channel<WatchEvent>> _watchers = [];
    private readonly Dictionary<string, (string State, DateTimeOffset Since)> _transitions = new(StringComparer.Ordinal);
    private long _version = 1000;

    public long ResourceVersion { get { lock (_lock) return _version; } }

    /// <summary>When the named node's condition last took this status (remembered, so lastTransitionTime holds still).</summary>
    public DateTimeOffset Since(string node, string condition, string status, DateTimeOffset now)
    {
        lock (_lock)
        {
            var key = node + "/" + condition;
            if (_transitions.TryGetValue(key, out var seen) && seen.State == status) return seen.Since;
            _transitions[key] = (status, now);
            return now;
        }
    }

    /// <summary>Makes the store hold exactly <paramref name="desired"/>: new, changed and vanished objects become events.</summary>
    public void Replace(IEnumerable<ApiObject> desired)
    {
        lock (_lock)
        {
            var seen = new HashSet<(string, string, string)>();
            foreach (var item in desired)
            {
                seen.Add(item.Key);
                var json = item.Body.ToJsonString();
                if (_objects.TryGetValue(item.Key, out var stored) && stored.Json == json) continue;
                var version = ++_version;
                _objects[item.Key] = (version, json, item.Body);
                Publish(new WatchEvent(stored.Json is null ? "ADDED" : "MODIFIED", item.Resource, item.Namespace, version, WithVersion(item.Body, version)));
            }
            foreach (var key in _objects.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                var version = ++_version;
                var body = _objects[key].Body;
                _objects.Remove(key);
                Publish(new WatchEvent("DELETED", key.Resource, key.Namespace, version, WithVersion(body, version)));
            }
            foreach (var name in _transitions.Keys.Where(k => !_objects.ContainsKey((KubeObjects.Nodes, "", k.Split('/')[0]))).ToList())
                _transitions.Remove(name);
        }
    }

    /// <summary>The objects of a resource (in one namespace, or all when <paramref name="ns"/> is null) and the store's resourceVersion.</summary>
    public (IReadOnlyList<JsonObject> Items, long Version) List(string resource, string? ns)
    {
        lock (_lock)
        {
            var items = _objects.Where(o => o.Key.Resource == resource && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => WithVersion(o.Value.Body, o.Value.Version)).ToList();
            return (items, _version);
        }
    }

    public JsonObject? Get(string resource, string ns, string name)
    {
        lock (_lock)
            return _objects.TryGetValue((resource, ns, name), out var stored) ? WithVersion(stored.Body, stored.Version) : null;
    }

    /// <summary>
    /// Opens a watch. From <paramref name="fromVersion"/> null ("" or "0" on the wire): every current object as ADDED
    /// first, then the changes (kube-apiserver's watch semantics, k8s.io/apiserver pkg/storage/cacher). From a version:
    /// the changes after it; null when the store no longer remembers that far back (410 Gone).
    /// </summary>
    public (ChannelReader<WatchEvent> Events, Action Close)? Watch(long? fromVersion)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (fromVersion is { } from)
            {
                var oldest = _history.First?.Value.ResourceVersion ?? _version + 1;
                if (from < oldest - 1 && from < _version) return null;
                foreach (var change in _history.Where(e => e.ResourceVersion > from))
                    channel.Writer.TryWrite(change);
            }
            else
            {
                foreach (var (key, stored) in _objects.OrderBy(o => o.Value.Version))
                    channel.Writer.TryWrite(new WatchEvent("ADDED", key.Resource, key.Namespace, stored.Version, WithVersion(stored.Body, stored.Version)));
            }
            _watchers.Add(channel);
        }
        return (channel.Reader, () =>
        {
            lock (_lock) _watchers.Remove(channel);
            channel.Writer.TryComplete();
        });
    }

    /// <summary>Ends every open watch (the endpoint went away).</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers) watcher.Writer.TryComplete();
            _watchers.Clear();
        }
    }

    private void Publish(WatchEvent change)
    {
        _history.AddLast(change);
        while (_history.Count > History) _history.RemoveFirst();
        foreach (var watcher in _watchers) watcher.Writer.TryWrite(change);
    }

    private static JsonObject WithVersion(JsonObject body, long version)
    {
        var copy = (JsonObject)body.DeepClone();
        ((JsonObject)copy["metadata"]!)["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }
}
