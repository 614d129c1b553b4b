using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The real console as a child process (`dotnet run --no-build`) on a free loopback port with a
/// fresh data directory, so E2E tests see exactly what a user who runs the README command sees.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Uri BaseAddress { get; }
    public string DataDir { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    private ConsoleHost(Process process, Uri baseAddress, string dataDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDir = dataDir;
    }

    public const string AdminUser = "admin";
    public const string AdminPassword = "e2e-Secret-pass";

    public static async Task<ConsoleHost> StartAsync(IDictionary<string, string>? settings = null, string? dataDir = null)
    {
        var root = RepositoryRoot();
        var port = FreePort();
        dataDir ??= Directory.CreateTempSubdirectory("ladybug-e2e-").FullName;
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", "Ladybug.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--no-build", "--no-launch-profile", "-c", configuration, "--", "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Ladybug__DataDir"] = dataDir;
        start.Environment["Ladybug__Admin__User"] = AdminUser;
        start.Environment["Ladybug__Admin__Password"] = AdminPassword;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key.Replace(":", "__")] = value;

        var process = Process.Start(start)!;
        var host = new ConsoleHost(process, new Uri($"http://127.0.0.1:{port}/"), dataDir);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (host._output) host._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (host._output) host._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        return host;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The console exited with {_process.ExitCode}:\n{Output}");
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

    /// <summary>Stops the console the hard way, as a crash or a power cut would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ladybug.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ladybug.sln not found above the test output.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
