using Ladybug.Sandbox.Catalog;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// How the scripts fail when an upstream artifact is missing (not in <see cref="UpstreamArtifacts"/>): the words of
/// curl, apt and kubeadm, the prelude's retry lines and its ERR trap line, and their exit codes.
/// </summary>
internal static class UpstreamFailures
{
    /// <summary>The prelude's <c>download</c>: <c>retry 5 5 curl -fsSL … -o TARGET URL</c>.</summary>
    private const string DownloadCommand = "retry 5 5 curl -fsSL --connect-timeout 20 -o \"$2\" \"$1\"";

    /// <summary>The prelude's <c>apt_install</c>: 30 attempts of apt-get install.</summary>
    private const string AptInstallCommand = "retry 30 10 apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \"$@\"";

    /// <summary>
    /// curl -f on an HTTP 404 prints "curl: (22) The requested URL returned error: 404" and exits 22
    /// (curl(1) --fail: "curl … will return error 22"); <c>download</c> tries 5 times, then the ERR trap reports.
    /// </summary>
    public static async Task<NodeStepFailure> DownloadAsync(NodeStepContext context, string url, string target)
    {
        for (var attempt = 1; attempt < 5; attempt++)
            await context.Out.WriteLineAsync($"[ladybug] retrying in 5s (attempt {attempt}/5 failed): curl -fsSL --connect-timeout 20 -o {target} {url}");
        var curl = Enumerable.Repeat("curl: (22) The requested URL returned error: 404", 5);
        return new NodeStepFailure(string.Join('\n', [.. curl, Trap(context, "retry 5 5 curl", DownloadCommand)]), 1, verbatim: true);
    }

    /// <summary>apt-get exits 100 on a version it does not know; <c>apt_install</c> tries 30 times.</summary>
    public static async Task<NodeStepFailure> AptAsync(NodeStepContext context, string aptError)
    {
        for (var attempt = 1; attempt < 30; attempt++)
            await context.Out.WriteLineAsync($"[ladybug] retrying in 10s (attempt {attempt}/30 failed): apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --allow-change-held-packages kubelet kubeadm kubectl");
        var errors = Enumerable.Repeat(aptError, 30);
        return new NodeStepFailure(string.Join('\n', [.. errors, Trap(context, "retry 30 10 apt-get install", AptInstallCommand)]), 1, verbatim: true);
    }

    /// <summary>
    /// kubeadm's preflight pulls every image and fails on the first missing ones with [ERROR ImagePull]
    /// (kubernetes cmd/kubeadm/app/preflight/checks.go ImagePullCheck; output as in kubernetes/kubeadm#2761).
    /// </summary>
    public static NodeStepFailure ImagePull(NodeStepContext context, IReadOnlyList<string> missing, bool docker, string command)
    {
        var lines = new List<string> { "error execution phase preflight: [preflight] Some fatal errors occurred:" };
        foreach (var image in missing)
        {
            var repository = image[..image.LastIndexOf(':')];
            var tag = image[(image.LastIndexOf(':') + 1)..];
            lines.Add(docker
                ? $"\t[ERROR ImagePull]: failed to pull image {image}: output: Error response from daemon: manifest for {image} not found: manifest unknown: manifest unknown"
                : $"\t[ERROR ImagePull]: failed to pull image {image}: output: time=\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\" level=fatal msg=\"pulling image: rpc error: code = NotFound desc = failed to pull and unpack image \\\"{image}\\\": failed to resolve reference \\\"{image}\\\": {repository}:{tag}: not found\"");
            lines.Add(", error: exit status 1");
        }
        lines.Add("[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`");
        lines.Add("To see the stack trace of this error execute with --v=5 or higher");
        lines.Add(Trap(context, command, command));
        return new NodeStepFailure(string.Join('\n', lines), 1, verbatim: true);
    }

    /// <summary>The prelude's ERR trap: "[ladybug] STEP failed (exit 1) at line N: COMMAND", N being the script line.</summary>
    private static string Trap(NodeStepContext context, string lineStart, string command)
    {
        var lines = context.Script.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(lineStart, StringComparison.Ordinal));
        return $"[ladybug] {context.Step} failed (exit 1) at line {index + 1}: {command}";
    }
}
