using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;

namespace Ladybug.Engine.Bootstrap;

/// <summary>An open SSH connection and the host key fingerprint it was verified with.</summary>
internal sealed record SshConnection(SshClient Client, string Fingerprint);

/// <summary>
/// Idle SSH connections, kept for the next step on the same machine. A connection is handed to one step at a time;
/// it is reused only for the same address, port, user and key, and only while its host key still matches the pinned
/// one. Connections idle longer than the caller's lifetime are closed when next looked at, and all on dispose.
/// </summary>
internal sealed class SshConnectionPool(TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stack<(SshConnection Connection, DateTimeOffset IdleSince)>> _idle = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>A live idle connection to <paramref name="host"/>, or null.</summary>
    public SshConnection? Take(RemoteHost host, TimeSpan lifetime)
    {
        var expired = new List<SshConnection>();
        SshConnection? found = null;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var stack in _idle.Values)
            {
                var keep = stack.Where(e => now - e.IdleSince <= lifetime && e.Connection.Client.IsConnected).Reverse().ToList();
                expired.AddRange(stack.Select(e => e.Connection).Except(keep.Select(e => e.Connection)));
                stack.Clear();
                foreach (var entry in keep) stack.Push(entry);
            }
            if (_idle.TryGetValue(Key(host), out var idle))
            {
                while (found is null && idle.TryPop(out var entry))
                {
                    if (host.PinnedHostKey is null || host.PinnedHostKey == entry.Connection.Fingerprint) found = entry.Connection;
                    else expired.Add(entry.Connection);
                }
            }
        }
        foreach (var connection in expired) connection.Client.Dispose();
        return found;
    }

    public void Return(RemoteHost host, SshConnection connection)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                var key = Key(host);
                if (!_idle.TryGetValue(key, out var stack)) _idle[key] = stack = new();
                stack.Push((connection, time.GetUtcNow()));
                return;
            }
        }
        connection.Client.Dispose();
    }

    public void Dispose()
    {
        List<SshConnection> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _idle.Values.SelectMany(s => s.Select(e => e.Connection))];
            _idle.Clear();
        }
        foreach (var connection in all) connection.Client.Dispose();
    }

    /// <summary>Never the key itself: a digest of it, next to where the connection goes.</summary>
    private static string Key(RemoteHost host) =>
        $"{host.User}@{host.Address}:{host.Port}/{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(host.PrivateKey)))}";
}
