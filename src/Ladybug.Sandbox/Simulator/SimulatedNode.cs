namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// One simulated VM: its identity, a virtual filesystem (absolute paths like "/etc/kubernetes/admin.conf" map under
/// the VM's "fs" directory, never onto the host) and JSON state documents that survive between SSH sessions.
/// </summary>
public sealed class SimulatedNode
{
    public const string IdentityFile = "node.json";

    private readonly string _fsRoot;
    private readonly string _stateRoot;

    public SimulatedNode(string directory, NodeIdentity identity)
    {
        Directory = Path.GetFullPath(directory);
        Identity = identity;
        _fsRoot = Path.Combine(Directory, "fs");
        _stateRoot = Path.Combine(Directory, "state");
    }

    public static SimulatedNode Load(string directory)
    {
        var identity = SimulatorFileStore.Read<NodeIdentity>(Path.Combine(directory, IdentityFile))
            ?? throw new FileNotFoundException($"{directory} is not a sandbox VM directory: {IdentityFile} is missing.");
        return new SimulatedNode(directory, identity);
    }

    public string Directory { get; }
    public NodeIdentity Identity { get; }

    public bool FileExists(string path) => File.Exists(HostPath(path));

    /// <summary>The file's text, or null when the VM has no such file.</summary>
    public string? ReadFile(string path) => File.Exists(HostPath(path)) ? File.ReadAllText(HostPath(path)) : null;

    public void WriteFile(string path, string content)
    {
        var host = HostPath(path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllText(host, content);
    }

    /// <summary>Like <c>rm -f</c>: a file that is not there is fine.</summary>
    public void DeleteFile(string path)
    {
        var host = HostPath(path);
        if (File.Exists(host)) File.Delete(host);
    }

    /// <summary>A state document of this VM ("kubelet", "packages"…), or a new one.</summary>
    public T Read<T>(string name) where T : class, new() => SimulatorFileStore.Read<T>(StatePath(name)) ?? new T();

    public T Update<T>(string name, Func<T, T> change) where T : class, new() => SimulatorFileStore.Update(StatePath(name), change);

    private string StatePath(string name) => Path.Combine(_stateRoot, $"{CheckedName(name)}.json");

    private string HostPath(string path)
    {
        if (!path.StartsWith('/'))
            throw new ArgumentException($"'{path}' is not an absolute path on the VM.", nameof(path));
        var host = Path.GetFullPath(Path.Combine(_fsRoot, path.TrimStart('/')));
        if (host != _fsRoot && !host.StartsWith(_fsRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{path}' leaves the VM's filesystem.", nameof(path));
        return host;
    }

    internal static string CheckedName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.')
            ? name
            : throw new ArgumentException($"'{name}' is not a valid state document name (letters, digits, '-', '_', '.').", nameof(name));
}

/// <summary>What every VM of one Infra shares: the simulated Kubernetes cluster (joined nodes, labels, tokens…).</summary>
public sealed class SimulatedCluster(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public T Read<T>(string name) where T : class, new() => SimulatorFileStore.Read<T>(PathOf(name)) ?? new T();

    /// <summary>Read-modify-write under a lock shared by every VM's simulator, so concurrent joins do not lose updates.</summary>
    public T Update<T>(string name, Func<T, T> change) where T : class, new() => SimulatorFileStore.Update(PathOf(name), change);

    private string PathOf(string name) => Path.Combine(Directory, $"{SimulatedNode.CheckedName(name)}.json");
}
