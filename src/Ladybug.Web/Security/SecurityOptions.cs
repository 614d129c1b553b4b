namespace Ladybug.Web.Security;

/// <summary>Section "Ladybug:Security": what the console needs to know about the network in front of it.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Ladybug:Security";

    /// <summary>
    /// Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (e.g. "127.0.0.1"); empty = none, the
    /// connection's own address and scheme count. Only a listed proxy can make a request count as HTTPS or as another client.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];
    /// <summary>Networks of such proxies in CIDR form ("10.0.0.0/8").</summary>
    public List<string> KnownNetworks { get; set; } = [];
    /// <summary>
    /// Send Strict-Transport-Security on HTTPS answers and mark the sign-in cookie Secure always. Switch on only when
    /// the console is reached through HTTPS alone (a TLS proxy with the forwarded headers above, or Kestrel with a certificate).
    /// </summary>
    public bool Hsts { get; set; }
    /// <summary>The largest request body accepted (413 above it): far above any real API request, far below what hurts memory.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
