using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Certificates;

/// <summary>Reads the certificate an API server presents, from the TLS handshake alone.</summary>
public interface IServingCertificateProbe
{
    /// <exception cref="ServingCertificateUnavailableException">Nothing answered, or the handshake failed.</exception>
    Task<DateTimeOffset> ExpiresAtAsync(string host, int port, CancellationToken cancellationToken);
}

/// <summary>
/// Connects, completes the handshake accepting any certificate (only its dates are read; no request is sent, so no
/// credential is involved) and hangs up. It reads what clients are served right now: a certificate renewed on disk
/// whose API server has not restarted still shows its old date here.
/// </summary>
internal sealed class TlsServingCertificateProbe(IOptions<CertificateOptions> options) : IServingCertificateProbe
{
    public async Task<DateTimeOffset> ExpiresAtAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                // Dates only: an expired or unknown certificate is exactly what this must be able to read.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, timeout.Token);
            using var served = tls.RemoteCertificate is { } remote ? X509CertificateLoader.LoadCertificate(remote.GetRawCertData())
                : throw new ServingCertificateUnavailableException($"{host}:{port} presented no certificate.");
            return new DateTimeOffset(served.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServingCertificateUnavailableException($"{host}:{port} did not answer within {options.Value.ProbeTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException)
        {
            throw new ServingCertificateUnavailableException($"{host}:{port}: {ex.Message}");
        }
    }
}

public sealed class ServingCertificateUnavailableException(string message) : Exception(message);
