using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Ladybug.Engine.Certificates;

/// <summary>The client certificate of an admin kubeconfig as kubeadm writes it (embedded, <c>client-certificate-data</c>).</summary>
public static partial class AdminCertificate
{
    [GeneratedRegex(@"^[ \t]*client-certificate-data:[ \t]*(?<data>[A-Za-z0-9+/=]+)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex ClientCertificateData();

    /// <summary>The certificate's notAfter. The kubeconfig is a secret: the caller unseals it in memory only and never logs it.</summary>
    /// <exception cref="FormatException">No embedded client certificate, or not a certificate.</exception>
    public static DateTimeOffset ExpiresAt(string kubeconfig)
    {
        var match = ClientCertificateData().Match(kubeconfig);
        if (!match.Success)
            throw new FormatException("The kubeconfig has no embedded client certificate (client-certificate-data).");
        string pem;
        try
        {
            pem = Encoding.ASCII.GetString(Convert.FromBase64String(match.Groups["data"].Value));
        }
        catch (FormatException)
        {
            throw new FormatException("The kubeconfig's client-certificate-data is not base64.");
        }
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new FormatException($"The kubeconfig's client certificate cannot be read: {ex.Message}");
        }
    }
}
