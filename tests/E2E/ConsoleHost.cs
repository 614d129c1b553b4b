using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The real console as a child process (`dotnet run --no-build`) on a free loopback port with a
/// fresh data directory, so E2E tests see exactly what a user who runs the README command sees.
/// It can be killed and started again on the same port and data directory, as after a crash.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri BaseAddress { get; }
    public string DataDir { get; }
    /// <summary>Everything every run of the console wrote, in order.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private ConsoleHost(Uri baseAddress, string dataDir, IReadOnlyDictionary<string, string> settings)
    {
        BaseAddress = baseAddress;
        DataDir = dataDir;
        _settings = settings;
    }

    public const string AdminUser = "admin";
    public const string AdminPassword = "e2e-Secret-pass";

    public static async Task<ConsoleHost> StartAsync(IDictionary<string, string>? settings = null, string? dataDir = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("ladybug-e2e-").FullName;
        var host = new ConsoleHost(new Uri($"http://127.0.0.1:{FreePort()}/"), dataDir, new Dictionary<string, string>(settings ?? new Dictionary<string, string>()));
        await host.StartAgainAsync();
        return host;
    }

    /// <summary>Starts the console (again) on the same port and data directory and waits until it is healthy.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
            throw new InvalidOperationException("The console is still running.");
        _process?.Dispose();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot(), "src", "Ladybug.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--no-build", "--no-launch-profile", "-c", configuration, "--", "--urls", BaseAddress.ToString().TrimEnd('/') })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Ladybug__DataDir"] = DataDir;
        start.Environment["Ladybug__Admin__User"] = AdminUser;
        start.Environment["Ladybug__Admin__Password"] = AdminPassword;
        foreach (var (key, value) in _settings)
            start.Environment[key.Replace(":", "__")] = value;

        var process = Process.Start(start)!;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitHealthyAsync(process, TimeSpan.FromSeconds(90));
    }

    private void Append(string? line)
    {
        if (line is not null) lock (_output) _output.AppendLine(line);
    }

    private async Task WaitHealthyAsync(Process process, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The console exited with {process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The console did not answer /healthz within {timeout}:\n{Output}");
    }

    /// <summary>Stops the console the hard way, as a crash or a power cut would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ladybug.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ladybug.sln not found above the test output.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
