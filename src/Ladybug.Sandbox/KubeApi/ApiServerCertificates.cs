using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ladybug.Sandbox.Simulator.Kubernetes;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>The kube-apiserver serving certificate kubeadm makes on a control plane, and its check of client certificates.</summary>
internal static class ApiServerCertificates
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>
    /// apiserver.crt: CN kube-apiserver, signed by the cluster CA, for the names kubeadm always adds (the node name,
    /// kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.&lt;dnsDomain&gt;), the first
    /// service IP, the advertise address and the ClusterConfiguration's certSANs — nothing else (kubernetes
    /// cmd/kubeadm/app/util/pkiutil/pki_helpers.go GetAPIServerAltNames). A server address outside them fails TLS
    /// verification in the client, as it would against a real cluster.
    /// </summary>
    public static X509Certificate2 Serving(KubernetesCluster cluster, KubeNode node)
    {

        var names = new SubjectAlternativeNameBuilder();
        var dns = new List<string> { node.Name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", $"kubernetes.default.svc.{cluster.DnsDomain}" };
        var ips = new List<IPAddress>();
        if (FirstServiceIp(cluster.ServiceCidr) is { } serviceIp) ips.Add(serviceIp);
        if (IPAddress.TryParse(node.InternalIp, out var advertise)) ips.Add(advertise);
        foreach (var san in cluster.CertificateSans)
        {
            if (IPAddress.TryParse(san, out var ip)) ips.Add(ip);
            else dns.Add(san);
        }
        foreach (var name in dns.Distinct(StringComparer.Ordinal)) names.AddDnsName(name);
        foreach (var ip in ips.Distinct()) names.AddIpAddress(ip);

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        request.CertificateExtensions.Add(names.Build());
        using var issued = ClusterCertificates.Sign(cluster, request, ServedDates(cluster, node));
        using var withKey = issued.CopyWithPrivateKey(key);
        // SslStream on Linux wants a certificate whose key it can load again: a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The dates of the certificate the node's kube-apiserver loaded when it last started (a cluster made before they were kept: fresh ones).</summary>
    public static CertificateDates ServedDates(KubernetesCluster cluster, KubeNode node) =>
        cluster.Certificates.GetValueOrDefault(node.Name)?.Served ?? ClusterCertificates.Fresh(cluster, node.CreatedAt);

    /// <summary>
    /// kube-apiserver's x509 authenticator: the client certificate must chain to the client CA (here the cluster CA)
    /// and allow client authentication, and be valid now — an expired one is refused (x509.Verify with the current time) —;
    /// the user is its CN, the groups its O values (k8s.io/apiserver pkg/authentication/request/x509/x509.go Verifier and
    /// CommonNameUserConversion). Null when it does not verify.
    /// </summary>
    public static (string User, IReadOnlyList<string> Groups)? Authenticate(X509Certificate2 client, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        if (!chain.Build(client)) return null;
        var subject = client.SubjectName.EnumerateRelativeDistinguishedNames().ToList();
        var user = subject.FirstOrDefault(r => r.GetSingleElementType().Value == "2.5.4.3")?.GetSingleElementValue() ?? "";
        var groups = subject.Where(r => r.GetSingleElementType().Value == "2.5.4.10").Select(r => r.GetSingleElementValue() ?? "").ToList();
        return (user, groups);
    }

    private static IPAddress? FirstServiceIp(string cidr)
    {
        if (!IPNetwork.TryParse(cidr, out var network)) return null;
        var bytes = network.BaseAddress.GetAddressBytes();
        bytes[^1]++;
        return new IPAddress(bytes);
    }
}
