using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Persistence;

/// <summary>
/// The data directory holds the password hash, API token hashes, sealed secrets, their keys and the audit trail: only
/// the console's own user may read it. New ones are created owner-only (700, the database 600, so SQLite gives its WAL
/// and SHM files the same mode); at start-up looser modes left by an older version or a copy are tightened and logged.
/// </summary>
public sealed class DataDirectoryPermissions(IOptions<LadybugOptions> options, ILogger<DataDirectoryPermissions> logger) : IHostedService
{
    public const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Before anything opens the database: the directory (700) and an empty database file (600) when they are missing.
    /// SQLite takes an empty file for a new database and creates its -wal and -shm files with the database's mode.
    /// </summary>
    public static void CreateOwnerOnly(LadybugOptions ladybug)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(ladybug.DataDir);
            return;
        }
        Directory.CreateDirectory(ladybug.DataDir, OwnerDirectory);
        if (!File.Exists(ladybug.DatabasePath))
        {
            using var _ = new FileStream(ladybug.DatabasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile,
            });
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows()) return Task.CompletedTask;
        var ladybug = options.Value;
        Tighten(Path.GetFullPath(ladybug.DataDir), OwnerDirectory);
        foreach (var file in new[] { ladybug.DatabasePath, ladybug.DatabasePath + "-wal", ladybug.DatabasePath + "-shm" })
            Tighten(file, OwnerFile);
        if (Directory.Exists(ladybug.KeysPath))
        {
            Tighten(ladybug.KeysPath, OwnerDirectory);
            foreach (var key in Directory.EnumerateFiles(ladybug.KeysPath))
                Tighten(key, OwnerFile);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Removes group and other permissions from <paramref name="path"/> when it has any, and says so.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void Tighten(string path, UnixFileMode wanted)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~wanted) == 0) return;
        File.SetUnixFileMode(path, mode & wanted);
        logger.LogWarning("Tightened permissions of {Path} from {Old} to {New}: it holds credentials and must be readable by the console's user only",
            path, Octal(mode), Octal(mode & wanted));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);
}
