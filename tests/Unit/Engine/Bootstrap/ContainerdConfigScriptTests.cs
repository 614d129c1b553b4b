using System.Diagnostics;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// prepare.sh's edits of <c>containerd config default</c>, run by bash on the default config of the containerd each
/// Ubuntu release installs: the systemd cgroup driver and kubeadm's pause image must both land, in containerd 1.x's
/// config (version 2) and in 2.x's (version 3), which Ubuntu 24.04 and 22.04 ship since containerd 2.2.1.
/// </summary>
public sealed class ContainerdConfigScriptTests
{
    /// <summary>
    /// The lines of <c>containerd config default</c> the script edits, as containerd 1.7.24 (focal-updates) renders them
    /// with BurntSushi/toml: containerd pkg/cri/config/config.go:299 (toml "sandbox_image"), config_unix.go:54-55
    /// (runc option SystemdCgroup = false), :96 (registry.k8s.io/pause:3.8) @v1.7.24.
    /// </summary>
    private const string Containerd17Config = """
        version = 2

        [plugins]
          [plugins."io.containerd.grpc.v1.cri"]
            sandbox_image = "registry.k8s.io/pause:3.8"
            [plugins."io.containerd.grpc.v1.cri".containerd]
              default_runtime_name = "runc"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes]
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                  runtime_type = "io.containerd.runc.v2"
                  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                    SystemdCgroup = false
        """;

    /// <summary>
    /// The same as containerd 2.2.1 (noble-updates) renders it with pelletier/go-toml/v2 (cmd/containerd/command/config.go:75,
    /// single-quoted strings): internal/cri/config/config_unix.go:41-43 (pinned_images "sandbox"), :71-72 (SystemdCgroup,
    /// back in the default since containerd#12244) and config.go:76 (registry.k8s.io/pause:3.10.1) @v2.2.1.
    /// </summary>
    private const string Containerd22Config = """
        version = 3

        [plugins]
          [plugins.'io.containerd.cri.v1.images']
            snapshotter = 'overlayfs'
            [plugins.'io.containerd.cri.v1.images'.pinned_images]
              sandbox = 'registry.k8s.io/pause:3.10.1'
          [plugins.'io.containerd.cri.v1.runtime']
            [plugins.'io.containerd.cri.v1.runtime'.containerd]
              default_runtime_name = 'runc'
              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes]
                [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                  runtime_type = 'io.containerd.runc.v2'
                  sandboxer = 'podsandbox'
                  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                    BinaryName = ''
                    SystemdCgroup = false
        """;

    [Theory]
    [InlineData("1.7", "sandbox_image = \"{0}\"")]
    [InlineData("2.2", "sandbox = '{0}'")]
    public async Task PrepareGivesContainerdKubeadmsPauseImageAndTheSystemdCgroupDriver(string containerd, string pauseLine)
    {
        // 1.23 (pause 3.6) on containerd 2.x is not a pairing the engine makes; it shows the pause image is set, not left
        // at containerd's default that happens to equal 1.35's 3.10.1.
        var minor = KubernetesVersionCatalog.Minors.Single(m => m.Minor == "1.23");
        var config = await EditAsync(containerd == "1.7" ? Containerd17Config : Containerd22Config, minor.PauseImage);

        Assert.Contains("SystemdCgroup = true", config);
        Assert.DoesNotContain("SystemdCgroup = false", config);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, pauseLine, "registry.k8s.io/pause:3.6"), config);
        Assert.DoesNotContain("pause:3.8", config);
        Assert.DoesNotContain("pause:3.10.1", config);
        if (containerd == "2.2") Assert.Contains("sandboxer = 'podsandbox'", config);
    }

    /// <summary>Runs the lines install_containerd runs after <c>containerd config default</c> on FILE, then prints FILE.</summary>
    private static async Task<string> EditAsync(string defaultConfig, string pauseImage)
    {
        var cluster = BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Canal);
        var lines = new BootstrapScriptRenderer().Prepare(cluster, cluster.Leader).Text.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "containerd config default > /etc/containerd/config.toml");
        var end = Array.FindIndex(lines, Math.Max(start, 0), l => l.TrimStart().StartsWith("printf 'runtime-endpoint:", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "prepare.sh's install_containerd writes containerd's default config, then crictl's");
        var edits = lines[(start + 1)..end].Select(l => l.Replace("/etc/containerd/config.toml", "\"$CONFIG\"", StringComparison.Ordinal));
        var functions = FunctionsCalledIn(lines, edits);

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, defaultConfig + "\n");
            var program = string.Join('\n',
            [
                "set -Eeuo pipefail",
                "die() { echo \"$*\" >&2; exit 1; }",
                $"arg() {{ [[ \"$1\" == pause-image ]] && printf '%s' '{pauseImage}'; }}",
                $"pause_image='{pauseImage}'",
                $"CONFIG='{file}'",
                .. functions,
                .. edits,
            ]);
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", program]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await bash.WaitForExitAsync();
            Assert.True(bash.ExitCode == 0, await bash.StandardError.ReadToEndAsync());
            return await File.ReadAllTextAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The script's own shell functions the edit lines call (their whole definitions).</summary>
    private static IEnumerable<string> FunctionsCalledIn(string[] lines, IEnumerable<string> edits)
    {
        foreach (var (line, index) in lines.Select((l, i) => (l, i)))
        {
            if (!line.EndsWith("() {", StringComparison.Ordinal)) continue;
            var name = line[..line.IndexOf('(')];
            if (name == "install_containerd" || !edits.Any(e => e.TrimStart().StartsWith(name + " ", StringComparison.Ordinal))) continue;
            var close = Array.IndexOf(lines, "}", index);
            foreach (var body in lines[index..(close + 1)]) yield return body;
        }
    }
}
