using Ladybug.Engine.Secrets;

namespace Ladybug.Tests.Unit.Engine.Secrets;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class LogRedactorTests
{
    private const string Token = "abcdef.0123456789abcdef";
    private static readonly string Hash = "8cb2de97839780a412b93877f8507ad6c94f73add17d5d7058e91741c9d5ec78";
    private static readonly string CertificateKey = "f8902e114ef118304e561c3ecd4d0b543adc226b7a07f675f56564185ffe0c07";

    private static string Redact(string line) => new LogRedactor().Redact(line);

    [Theory]
    [InlineData($"kubeadm join 10.0.0.5:6443 --token {Token} \\", "kubeadm join 10.0.0.5:6443 --token [REDACTED] \\")]
    [InlineData($"--token={Token}", "--token=[REDACTED]")]
    [InlineData($"[bootstrap-token] Using token: {Token}", "[bootstrap-token] Using token: [REDACTED]")]
    [InlineData($"token: {Token}", "token: [REDACTED]")]
    public void BootstrapTokensAreRedacted(string line, string expected) => Assert.Equal(expected, Redact(line));

    [Fact]
    public void DiscoveryHashesAreRedacted() =>
        Assert.Equal("\t--discovery-token-ca-cert-hash sha256:[REDACTED] \\", Redact($"\t--discovery-token-ca-cert-hash sha256:{Hash} \\"));

    [Theory]
    [InlineData("--control-plane --certificate-key {0}", "--control-plane --certificate-key [REDACTED]")]
    [InlineData("--certificate-key={0}", "--certificate-key=[REDACTED]")]
    [InlineData("  certificateKey: {0}", "  certificateKey: [REDACTED]")]
    [InlineData("{0}", "[REDACTED]")]
    public void CertificateKeysAreRedacted(string format, string expected) =>
        Assert.Equal(expected, Redact(string.Format(format, CertificateKey)));

    [Fact]
    public void CertificateKeyPrintedOnTheLineAfterItsHeadingIsRedacted()
    {
        var redactor = new LogRedactor();

        Assert.Equal("[upload-certs] Using certificate key:", redactor.Redact("[upload-certs] Using certificate key:"));
        Assert.Equal(LogRedactor.Mask, redactor.Redact(CertificateKey));
    }

    [Theory]
    [InlineData("RSA PRIVATE KEY")]
    [InlineData("OPENSSH PRIVATE KEY")]
    [InlineData("EC PRIVATE KEY")]
    [InlineData("PRIVATE KEY")]
    [InlineData("ENCRYPTED PRIVATE KEY")]
    public void EveryLineOfAPemPrivateKeyBlockIsRedactedAndTheNextLineIsNot(string kind)
    {
        var redactor = new LogRedactor();
        string[] block = [$"-----BEGIN {kind}-----", "MIIEpAIBAAKCAQEA1", "b3BlbnNzaC1rZXktdjE=", $"-----END {kind}-----"];

        var redacted = block.Select(redactor.Redact).ToList();

        Assert.All(redacted, line => Assert.Equal(LogRedactor.Mask, line));
        Assert.Equal("[kubelet-start] Starting the kubelet", redactor.Redact("[kubelet-start] Starting the kubelet"));
    }

    [Fact]
    public void PemPrivateKeyOnOneLineIsRedactedWithoutHidingWhatFollows()
    {
        var redactor = new LogRedactor();

        Assert.Equal(LogRedactor.Mask, redactor.Redact("key: -----BEGIN PRIVATE KEY-----MIIEvQIBADANBg-----END PRIVATE KEY-----"));
        Assert.Equal("next line is visible", redactor.Redact("next line is visible"));
    }

    [Theory]
    [InlineData("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==", "    client-key-data: [REDACTED]")]
    [InlineData("password=s3cr3t-passw0rd", "password=[REDACTED]")]
    public void KubeconfigKeysAndPasswordsAreRedacted(string line, string expected) => Assert.Equal(expected, Redact(line));

    [Theory]
    [InlineData("[init] Using Kubernetes version: v1.23.13")]
    [InlineData("-----BEGIN CERTIFICATE-----")]
    [InlineData("node/w1-1 labeled")]
    [InlineData("ok")]
    public void OrdinaryLinesAreLeftAlone(string line) => Assert.Equal(line, Redact(line));
}
