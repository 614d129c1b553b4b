using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// The real certificates kubeadm would make: a self-signed cluster CA ("kubernetes", 10 years) and the admin client
/// certificate (CN kubernetes-admin, O system:masters, 1 year) signed by it, and the kubeconfig that carries them.
/// Lifetimes are kubeadm's: kubernetes cmd/kubeadm/app/constants/constants.go:46-50 @00886ac (CertificateBackdate 5 min,
/// CertificateValidityPeriod 365 days, CACertificateValidityPeriod 3650 days).
/// </summary>
public static class ClusterCertificates
{
    public static readonly TimeSpan CertificateBackdate = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan CertificateValidityPeriod = TimeSpan.FromHours(24 * 365);
    public static readonly TimeSpan CaCertificateValidityPeriod = TimeSpan.FromHours(24 * 365 * 10);

    public sealed record CertificateAuthority(string CertificatePem, string KeyPem, string DiscoveryHash);

    /// <summary>
    /// The dates of a leaf certificate kubeadm signs now (init, join, certs renew): notBefore is the CA's own notBefore and
    /// notAfter kubeadm's start time plus CertificateValidityPeriod (kubernetes cmd/kubeadm/app/util/pkiutil/pki_helpers.go
    /// NewSignedCert; the callers pass StartTimeUTC().Add(CertificateValidityPeriod)).
    /// </summary>
    public static CertificateDates Fresh(KubernetesCluster cluster, DateTimeOffset now)
    {
        using var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
        return new CertificateDates(new DateTimeOffset(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero), now + CertificateValidityPeriod);
    }

    /// <summary>
    /// Dates as if the certificates had been issued a year before <paramref name="notAfter"/> (the sandbox's ageing of a
    /// cluster): notBefore stays the CA's unless that would come after notAfter - a year.
    /// </summary>
    public static CertificateDates Aged(KubernetesCluster cluster, DateTimeOffset notAfter)
    {
        var fresh = Fresh(cluster, notAfter - CertificateValidityPeriod);
        var earliest = notAfter - CertificateValidityPeriod;
        return new CertificateDates(fresh.NotBefore < earliest ? fresh.NotBefore : earliest, notAfter);
    }

    /// <summary>Signs a leaf certificate of <paramref name="request"/> with the cluster CA, for <paramref name="dates"/>.</summary>
    internal static X509Certificate2 Sign(KubernetesCluster cluster, CertificateRequest request, CertificateDates dates)
    {
        using var caKey = RSA.Create();
        caKey.ImportFromPem(cluster.CaKeyPem);
        using var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
        // By issuer name and key, not by the CA certificate: .NET would refuse an aged notBefore earlier than the CA's.
        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            dates.NotBefore, dates.NotAfter, RandomNumberGenerator.GetBytes(16));
    }

    public static CertificateAuthority NewAuthority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow - CertificateBackdate;
        using var certificate = request.CreateSelfSigned(notBefore, notBefore + CaCertificateValidityPeriod);
        return new CertificateAuthority(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), DiscoveryHash(certificate));
    }

    /// <summary>kubeadm's --discovery-token-ca-cert-hash: SHA-256 of the CA's DER SubjectPublicKeyInfo.</summary>
    public static string DiscoveryHash(X509Certificate2 ca) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>The admin.conf kubeadm writes: server is the controlPlaneEndpoint, the user a fresh client certificate valid for <paramref name="dates"/>.</summary>
    public static string AdminKubeconfig(KubernetesCluster cluster, CertificateDates dates)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes-admin, O=system:masters", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = Sign(cluster, request, dates);

        var context = $"kubernetes-admin@{cluster.Name}";
        return string.Join('\n',
            "apiVersion: v1",
            "clusters:",
            "- cluster:",
            $"    certificate-authority-data: {Base64(cluster.CaCertificatePem)}",
            $"    server: https://{cluster.Endpoint}",
            $"  name: {cluster.Name}",
            "contexts:",
            "- context:",
            $"    cluster: {cluster.Name}",
            "    user: kubernetes-admin",
            $"  name: {context}",
            $"current-context: {context}",
            "kind: Config",
            "preferences: {}",
            "users:",
            "- name: kubernetes-admin",
            "  user:",
            $"    client-certificate-data: {Base64(client.ExportCertificatePem())}",
            $"    client-key-data: {Base64(key.ExportRSAPrivateKeyPem())}",
            "");
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem.TrimEnd('\n') + "\n"));
}
