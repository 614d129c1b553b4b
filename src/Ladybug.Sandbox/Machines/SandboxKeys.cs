using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Machines;

/// <summary>
/// An SSH key pair: Tumblebug's id, the uid it names the key by at the CSP (its public key's comment), the private key in
/// PEM (as Tumblebug hands them out), the public key in authorized_keys form.
/// </summary>
public sealed record SshKeyPair(string Id, string Uid, string PrivateKey, string PublicKey);

/// <summary>The sandbox's SSH key pairs, one per Tumblebug namespace and key id, kept under {state}/keys.</summary>
internal sealed class SandboxKeys(string stateDirectory, string sshKeygenPath, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SshKeyPair>>> _keys = new(StringComparer.Ordinal);
    private readonly string _stateDirectory = stateDirectory;
    private readonly string _sshKeygenPath = sshKeygenPath;
    private readonly ILogger _logger = logger;

    /// <summary>
    /// The key pair <paramref name="keyId"/> of namespace <paramref name="ns"/>, made the first time it is asked for and
    /// the same ever after: Tumblebug creates a node group's key only when no key of that id exists, and deleting an
    /// Infra leaves its keys (cb-tumblebug src/core/infra/provisioning.go:4152-4193, src/core/infra/manageInfo.go:3300 @v0.13.0).
    /// </summary>
    public Task<SshKeyPair> GetAsync(string ns, string keyId, CancellationToken cancellationToken)
    {
        var lazy = _keys.GetOrAdd($"{ns}/{keyId}", _ => new Lazy<Task<SshKeyPair>>(() => LoadOrGenerateKeyAsync(ns, keyId)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    /// <summary>The pair an earlier run on a kept state directory made, or a new one.</summary>
    private async Task<SshKeyPair> LoadOrGenerateKeyAsync(string ns, string id)
    {
        var path = KeyPath(ns, id);
        // Before keys were kept per namespace, the shared "{ns}-shared-{conn}" keys lay in keys/ itself.
        var legacy = Path.Combine(_stateDirectory, "keys", id);
        if (!File.Exists(path) && File.Exists(legacy) && File.Exists(legacy + ".pub"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(legacy, path);
            File.Move(legacy + ".pub", path + ".pub");
        }
        if (File.Exists(path) && File.Exists(path + ".pub"))
        {
            var (privateKey, publicKey) = (await File.ReadAllTextAsync(path), (await File.ReadAllTextAsync(path + ".pub")).Trim());
            if (privateKey.StartsWith("-----BEGIN RSA PRIVATE KEY-----", StringComparison.Ordinal) && publicKey.StartsWith("ssh-rsa ", StringComparison.Ordinal))
            {
                var fields = publicKey.Split(' ', 3);
                if (fields.Length == 3 && Emulator.Uids.IsWellFormed(fields[2])) return new SshKeyPair(id, fields[2], privateKey, publicKey);
                // A legacy key named by its id: the same key, given a uid.
                var named = $"{fields[0]} {fields[1]} {Emulator.Uids.Next()}";
                await File.WriteAllTextAsync(path + ".pub", named + "\n");
                return new SshKeyPair(id, named.Split(' ')[2], privateKey, named);
            }
            _logger.LogWarning("The saved key pair {Key} is incomplete; a new one replaces it", id);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        File.Delete(path + ".pub");
        // Tumblebug names the key at the CSP by a fresh uid (cb-tumblebug src/core/resource/sshkey.go:92, 140 @v0.13.0).
        var uid = Emulator.Uids.Next();
        await ProcessRunner.RunAsync(_sshKeygenPath, ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", uid, "-f", path], CancellationToken.None);
        return new SshKeyPair(id, uid, await File.ReadAllTextAsync(path), (await File.ReadAllTextAsync(path + ".pub")).Trim());
    }

    /// <summary>{state}/keys/{ns}/{keyId}; ids that would lead elsewhere are refused.</summary>
    private string KeyPath(string ns, string keyId)
    {
        var root = Path.Combine(_stateDirectory, "keys");
        var path = Path.GetFullPath(Path.Combine(root, ns, keyId));
        return Path.GetDirectoryName(Path.GetDirectoryName(path)) == root
            ? path
            : throw new ArgumentException($"Namespace '{ns}' and key '{keyId}' do not name a key of the sandbox.");
    }
}
