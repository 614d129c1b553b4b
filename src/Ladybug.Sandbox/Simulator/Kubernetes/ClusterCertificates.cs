using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// The real certificates kubeadm would make: a self-signed cluster CA ("kubernetes", 10 years) and the admin client
/// certificate (CN kubernetes-admin, O system:masters, 1 year) signed by it, and the kubeconfig that carries them.
/// </summary>
public static class ClusterCertificates
{
    public sealed record CertificateAuthority(string CertificatePem, string KeyPem, string DiscoveryHash);

    public static CertificateAuthority NewAuthority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var certificate = request.CreateSelfSigned(now, now.AddYears(10));
        return new CertificateAuthority(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), DiscoveryHash(certificate));
    }

    /// <summary>kubeadm's --discovery-token-ca-cert-hash: SHA-256 of the CA's DER SubjectPublicKeyInfo.</summary>
    public static string DiscoveryHash(X509Certificate2 ca) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>The admin.conf kubeadm writes: server is the controlPlaneEndpoint, the user a fresh client certificate.</summary>
    public static string AdminKubeconfig(KubernetesCluster cluster)
    {
        using var caKey = RSA.Create();
        caKey.ImportFromPem(cluster.CaKeyPem);
        using var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
        using var caWithKey = ca.CopyWithPrivateKey(caKey);

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes-admin, O=system:masters", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var client = request.Create(caWithKey, now, now.AddYears(1), RandomNumberGenerator.GetBytes(16));

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
