using Ladybug.Sandbox.Catalog;
using System.Globalization;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary><c>join-token</c>: a fresh bootstrap token (and re-uploaded certificates) with the join command.</summary>
internal sealed class JoinTokenStep : KubernetesStep
{
    public override string Name => "join-token";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var token = args.Matching("token", TokenPattern(), "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        var ttl = ParseDuration(args.Required("ttl"));
        var certificateKey = args.Optional("certificate-key");
        if (certificateKey is not null && !CertificateKeyPattern().IsMatch(certificateKey))
            throw new NodeStepFailure("--certificate-key is not a certificate key (64 hex digits)");
        var cluster = RequireAdmin(context);

        var updated = UpdateCluster(context, c => c with
        {
            Tokens = [.. c.Tokens.Where(t => t.Token.Split('.')[0] != token.Split('.')[0]), new BootstrapToken(token, DateTimeOffset.UtcNow + ttl)],
            CertificateKey = certificateKey ?? c.CertificateKey,
            CertificatesUploadedAt = certificateKey is null ? c.CertificatesUploadedAt : DateTimeOffset.UtcNow,
        });
        var lines = new List<string>();
        if (MinorOf(cluster.Version) < 19)
            lines.Add($"W{DateTime.UtcNow:MMdd HH:mm:ss.ffffff}   22914 configset.go:202] WARNING: kubeadm cannot validate component configs for API groups [kubelet.config.k8s.io kubeproxy.config.k8s.io]");
        if (certificateKey is not null)
        {
            lines.Add("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace");
            lines.Add("[upload-certs] Using certificate key:");
            lines.Add(certificateKey);
        }
        lines.Add($"kubeadm join {cluster.Endpoint} --token {token} --discovery-token-ca-cert-hash {updated.DiscoveryHash} "
            + (certificateKey is null ? "" : $"--control-plane --certificate-key {certificateKey}"));
        await context.WorkAsync(lines);
        return 0;
    }

    /// <summary>A Go duration as kubeadm takes it ("2h0m0s", "30m", "24h").</summary>
    private static TimeSpan ParseDuration(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$");
        if (text.Length == 0 || !match.Success)
            throw new NodeStepFailure($"invalid argument \"{text}\" for \"--ttl\" flag: time: invalid duration \"{text}\"", 1, verbatim: true);
        int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(1), Part(2), Part(3));
    }
}
