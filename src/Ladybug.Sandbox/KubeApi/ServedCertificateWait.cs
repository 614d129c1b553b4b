using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// Waits until the API server on an address presents a certificate that ends at a given time: a restarted static pod
/// serving its new certificate. The sandbox's API servers restart on their own poll, so whoever changed the certificates
/// waits for this as the renewal script waits for its API server to answer again.
/// </summary>
public static class ServedCertificateWait
{
    public static async Task<bool> UntilServedAsync(string address, DateTimeOffset notAfter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            if (await ServedNotAfterAsync(address, cancellationToken) is { } served && (served - notAfter).Duration() < TimeSpan.FromSeconds(2))
                return true;
            if (DateTimeOffset.UtcNow >= deadline) return false;
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<DateTimeOffset?> ServedNotAfterAsync(string address, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address, KubeApiHost.Port, attempt.Token);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = address, RemoteCertificateValidationCallback = (_, _, _, _) => true }, attempt.Token);
            if (tls.RemoteCertificate is null) return null;
            using var certificate = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate.GetRawCertData());
            return new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
