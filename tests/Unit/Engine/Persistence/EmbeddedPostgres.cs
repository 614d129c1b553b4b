using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ladybug.Tests.Unit.Engine.Persistence;

/// <summary>
/// A PostgreSQL server of the test's own: initdb in a temporary dir, listening on a free port of 127.0.0.1 only,
/// trust authentication, stopped (immediately) and deleted at the end. initdb and postgres refuse to run as root,
/// so when the tests run as root (CI) both run as the `postgres` user the Debian package creates, via runuser.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncLifetime
{
    /// <summary>Debian's PostgreSQL 15 (bookworm), or whichever major version the distribution's package brought.</summary>
    public static string BinDir { get; } = Directory.Exists("/usr/lib/postgresql/15/bin") || !Directory.Exists("/usr/lib/postgresql")
        ? "/usr/lib/postgresql/15/bin"
        : Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Order().LastOrDefault() ?? "/usr/lib/postgresql/15/bin";
    public static string InitDb => Path.Combine(BinDir, "initdb");
    public static bool IsInstalled => File.Exists(InitDb);

    private const string User = "ladybug";
    private string _dir = "";
    private bool _started;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        if (!IsInstalled) return;
        _dir = Directory.CreateTempSubdirectory("ladybug-pg-").FullName;
        if (Environment.IsPrivilegedProcess)
            await RunAsync("chown", ["postgres", _dir], asPostgres: false);
        Port = FreePort();
        var data = Path.Combine(_dir, "data");
        await RunAsync(InitDb, ["-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres: true);
        await RunAsync(Path.Combine(BinDir, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "start",
             "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"], asPostgres: true);
        _started = true;
    }

    /// <summary>A new, empty database on this server, as an Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"ladybug_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Maximum Pool Size=50";

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (_started)
                await RunAsync(Path.Combine(BinDir, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true);
        }
        finally
        {
            if (_dir.Length > 0)
            {
                try { Directory.Delete(_dir, recursive: true); }
                catch (IOException) { /* A leftover temp dir is harmless. */ }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(argument);
        }
        else start.FileName = program;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}

/// <summary>A test that needs <see cref="EmbeddedPostgres"/>; skipped, saying why, where PostgreSQL is not installed.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!EmbeddedPostgres.IsInstalled)
            Skip = $"PostgreSQL is not installed ({EmbeddedPostgres.InitDb} is missing); test.sh installs the postgresql package from apt.";
    }
}
