using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ladybug.Tests.Unit.Web.ScaleOut;

/// <summary>The built console (Ladybug.Web.dll) as a process of its own on a free loopback port, which a test can SIGKILL.</summary>
public sealed class ConsoleProcess : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "scale-Out-pass1";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ConsoleProcess(Process process, Uri baseAddress, string dataDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDir = dataDir;
    }

    public Uri BaseAddress { get; }
    public string DataDir { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<ConsoleProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var dataDir = Directory.CreateTempSubdirectory("ladybug-replica-").FullName;
        // The test's own build output holds Ladybug.Web.dll with its deps and runtime config (a referenced web project).
        var web = Path.Combine(RepositoryRoot(), "src", "Ladybug.Web");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "Ladybug.Web.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[dll, "--urls", baseAddress.ToString().TrimEnd('/')]) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Ladybug__DataDir"] = dataDir;
        start.Environment["Ladybug__Admin__User"] = AdminUser;
        start.Environment["Ladybug__Admin__Password"] = AdminPassword;
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        var console = new ConsoleProcess(process, baseAddress, dataDir);
        process.OutputDataReceived += (_, e) => console.Append(e.Data);
        process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await console.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        return console;
    }

    public HttpClient Http() => new()
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = BasicHeader() },
    };

    public static System.Net.Http.Headers.AuthenticationHeaderValue BasicHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));

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
            if (_process.HasExited) throw new InvalidOperationException($"The console exited with {_process.ExitCode}:\n{Output}");
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

    /// <summary>SIGKILL: no shutdown code runs, leases stay held, buffered log lines are lost.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); }
        catch (IOException) { /* A leftover temp dir is harmless. */ }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ladybug.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ladybug.sln not found above the test output.");
    }
}
