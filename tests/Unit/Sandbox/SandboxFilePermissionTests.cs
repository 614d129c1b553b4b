using Ladybug.Sandbox.Machines;
using Ladybug.Sandbox.Simulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>Issue 16, item 5: the simulated clusters' kubernetes.json holds a CA key; it is owner-only, also when an older run left it readable.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SandboxFilePermissionTests
{
    [Fact]
    public void SimulatorDocumentsAreWrittenOwnerOnly()
    {
        var directory = Directory.CreateTempSubdirectory("ladybug-perm-").FullName;
        try
        {
            var path = Path.Combine(directory, "kubernetes.json");
            SimulatorFileStore.Write(path, new { caKey = "-----BEGIN PRIVATE KEY-----" });

            Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(path), 8));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AKeptStateDirectorysReadableClusterDocumentIsMadeOwnerOnly()
    {
        var stateDir = Path.Combine(Path.GetTempPath(), $"ladybug-perm-state-{Guid.NewGuid():N}");
        var document = Path.Combine(stateDir, "infras", "default", "c1", "cluster", "kubernetes.json");
        Directory.CreateDirectory(Path.GetDirectoryName(document)!);
        await File.WriteAllTextAsync(document, "{}");
        File.SetUnixFileMode(document, (UnixFileMode)Convert.ToInt32("644", 8));
        try
        {
            // What the sandbox does first on a kept state directory, before it restores the Infras.
            SandboxFilePermissions.TightenSecrets(stateDir, NullLogger.Instance);

            Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(document), 8));
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }
}
