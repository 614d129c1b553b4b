using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Ladybug.Web.Security;

public static class ForwardedHeadersSetup
{
    /// <summary>
    /// X-Forwarded-For and -Proto are believed from the configured proxies only; anyone else could otherwise claim
    /// another client address (and escape the sign-in throttle) or HTTPS.
    /// </summary>
    public static IServiceCollection AddLadybugForwardedHeaders(this IServiceCollection services, SecurityOptions security)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in security.KnownProxies.Where(p => !string.IsNullOrWhiteSpace(p)))
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"{SecurityOptions.Section}:KnownProxies: '{proxy}' is not an IP address."));
            foreach (var network in security.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)))
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"{SecurityOptions.Section}:KnownNetworks: '{network}' is not a CIDR network such as 10.0.0.0/8."));
        });
        return services;
    }
}
