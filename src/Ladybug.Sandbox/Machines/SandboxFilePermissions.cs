using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Machines;

/// <summary>
/// A kept state directory from an earlier version may hold cluster documents readable by every local user; the
/// simulated clusters' kubernetes.json holds each cluster's CA key. They are made owner-only (600) at start, and said so.
/// </summary>
internal static class SandboxFilePermissions
{
    private const string ClusterDocument = "kubernetes.json";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void TightenSecrets(string stateDirectory, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(stateDirectory)) return;
        Tighten(stateDirectory, logger);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string stateDirectory, ILogger logger)
    {
        foreach (var path in Directory.EnumerateFiles(stateDirectory, ClusterDocument, SearchOption.AllDirectories))
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~OwnerOnly) == 0) continue;
            File.SetUnixFileMode(path, mode & OwnerOnly);
            logger.LogWarning("Tightened permissions of {Path} from {Old} to 600: it holds a sandbox cluster's CA key",
                path, Convert.ToString((int)mode, 8));
        }
    }
}
