using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Ladybug.Tests.Support.ScaleOut;

/// <summary>
/// One console replica as an operator runs it: `dotnet Ladybug.Web.dll` of the built console, a process of its own on
/// a free loopback port with its own data directory and the given settings (as environment variables). It can be
/// killed with SIGKILL, so that no shutdown code runs and its leases stay behind.
/// </summary>
public sealed class ConsoleReplica : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "replica-Secret-pass";

    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ConsoleReplica(string name, Uri baseAddress, string dataDir, Process process)
    {
        Name = name;
        BaseAddress = baseAddress;
        DataDir = dataDir;
        _process = process;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public string DataDir { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>What the console wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string BasicCredentials => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}"));

    /// <summary>What the replicas of one deployment share: the PostgreSQL database, the Redis relay and the broker.</summary>
    public static Dictionary<string, string> SharedSettings(string replicaId, string postgres, RedisServer redis, Ladybug.Sandbox.SandboxCloud sandbox) => new()
    {
        ["Ladybug:Database:Provider"] = nameof(Ladybug.Engine.Persistence.DatabaseProvider.Postgres),
        ["Ladybug:Database:ConnectionString"] = postgres,
        ["Ladybug:SignalR:Redis"] = redis.Configuration,
        ["Ladybug:Tumblebug:Url"] = sandbox.TumblebugUrl.ToString(),
        ["Ladybug:Tumblebug:User"] = sandbox.User,
        ["Ladybug:Tumblebug:Password"] = sandbox.Password,
        ["Ladybug:Engine:ReplicaId"] = replicaId,
    };

    /// <summary>Starts the replica and waits until it answers /healthz (its migrations and start-up are done).</summary>
    public static async Task<ConsoleReplica> StartAsync(string name, IReadOnlyDictionary<string, string> settings, TimeSpan? timeout = null)
    {
        var root = RepositoryRoot();
        var web = Path.Combine(root, "src", "Ladybug.Web");
        var dll = Path.Combine(web, "bin", BuildConfiguration(), "net10.0", "Ladybug.Web.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the console first: {dll} is missing.", dll);
        var dataDir = Directory.CreateTempSubdirectory($"ladybug-{name}-").FullName;
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root (appsettings.json, wwwroot) is the working directory, as for `dotnet run`.
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", baseAddress.ToString().TrimEnd('/') }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Ladybug__DataDir"] = dataDir;
        start.Environment["Ladybug__Admin__User"] = AdminUser;
        start.Environment["Ladybug__Admin__Password"] = AdminPassword;
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var replica = new ConsoleReplica(name, baseAddress, dataDir, Process.Start(start)!);
        replica._process.OutputDataReceived += (_, e) => replica.Append(e.Data);
        replica._process.ErrorDataReceived += (_, e) => replica.Append(e.Data);
        replica._process.BeginOutputReadLine();
        replica._process.BeginErrorReadLine();
        try
        {
            await replica.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(120));
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
        return replica;
    }

    /// <summary>A client of this replica's API, signed in as the administrator.</summary>
    public HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials);
        return http;
    }

    private void Append(string? line)
    {
        if (line is not null) lock (_output) _output.AppendLine(line);
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Replica {Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Replica {Name} did not answer /healthz within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL, as a crash or a power cut: no shutdown code runs, its leases and SSH sessions just stop.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(); // SIGKILL on Linux
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); }
        catch (IOException) { /* A leftover temp dir is harmless. */ }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Release or Debug, as the caller was built (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string BuildConfiguration() =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ladybug.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ladybug.sln not found above the program's output.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
