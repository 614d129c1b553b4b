using System.Diagnostics;
using Xunit;

namespace Ladybug.Tests.Support;

/// <summary>The real kubectl against a kubeconfig file, in a home of its own (no cache or config from the machine).</summary>
public static class Kubectl
{
    /// <summary>Runs kubectl with <paramref name="arguments"/>, asserts it exited 0 and returns its output.</summary>
    public static async Task<string> RunAsync(string kubeconfigPath, params string[] arguments)
    {
        // LADYBUG_KUBECTL picks another kubectl (e.g. Debian's 1.20 next to a newer one).
        var kubectl = new[] { Environment.GetEnvironmentVariable("LADYBUG_KUBECTL") ?? "", "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl is not installed (./test.sh installs Debian's kubernetes-client).");
        var home = Directory.CreateTempSubdirectory("ladybug-kubectl-");
        try
        {
            var start = new ProcessStartInfo(kubectl)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                Environment = { ["HOME"] = home.FullName, ["KUBECONFIG"] = kubeconfigPath },
            };
            foreach (var argument in new[] { "--kubeconfig", kubeconfigPath, "--cache-dir", Path.Combine(home.FullName, "cache"), "--request-timeout", "20s" }.Concat(arguments))
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
