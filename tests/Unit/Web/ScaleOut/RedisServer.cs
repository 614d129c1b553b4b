using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ladybug.Tests.Unit.Web.ScaleOut;

/// <summary>
/// A Redis server of the test's own: the distribution's redis-server on a free port of 127.0.0.1, nothing saved to
/// disk, killed at the end. Skipped where redis-server is not installed (test.sh installs it from apt).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string Program = "/usr/bin/redis-server";
    public static bool IsInstalled => File.Exists(Program);

    private Process? _process;
    public int Port { get; private set; }
    public string Configuration => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        if (!IsInstalled) return;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"])
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>A test that needs PostgreSQL and Redis from apt; skipped, saying why, where either is missing.</summary>
public sealed class PostgresAndRedisFactAttribute : FactAttribute
{
    public PostgresAndRedisFactAttribute()
    {
        if (!Ladybug.Tests.Unit.Engine.Persistence.EmbeddedPostgres.IsInstalled)
            Skip = "PostgreSQL is not installed; test.sh installs the postgresql package from apt.";
        else if (!RedisServer.IsInstalled)
            Skip = $"Redis is not installed ({RedisServer.Program} is missing); test.sh installs the redis-server package from apt.";
    }
}
