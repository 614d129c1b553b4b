using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ladybug.Tests.Support.ScaleOut;

/// <summary>
/// A Redis server of the caller's own: redis-server (Debian's package) with a config file in a temporary dir, on a free
/// port of 127.0.0.1 only, nothing persisted (the console keeps only live events there), stopped and deleted at the end.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Program = "/usr/bin/redis-server";
    public static bool IsInstalled => File.Exists(Program);

    private readonly string _dir;
    private readonly Process _process;

    private RedisServer(string dir, int port, Process process)
    {
        _dir = dir;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration, as `Ladybug:SignalR:Redis` takes it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("ladybug-redis-").FullName;
        var port = FreePort();
        var config = Path.Combine(dir, "redis.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            "bind 127.0.0.1",
            $"port {port}",
            "protected-mode yes",
            $"dir {dir}",
            "save \"\"",
            "appendonly no",
            "daemonize no",
            $"logfile {Path.Combine(dir, "redis.log")}",
            ""));
        var start = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(dir, port, process);
        try
        {
            await server.WaitForPongAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task WaitForPongAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {Log()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server did not answer PING on port {Port}: {Log()}");
            await Task.Delay(100);
        }
    }

    private string Log()
    {
        var path = Path.Combine(_dir, "redis.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* A leftover temp dir is harmless. */ }
    }
}
