using Microsoft.Extensions.Options;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Certificates;

/// <summary><see cref="CertificateExpiry"/> with the configured warning window and the clock: what the API and the pages show.</summary>
public sealed class CertificateExpiryView(IOptions<CertificateOptions> options, TimeProvider time)
{
    public TimeSpan WarningWindow => options.Value.WarningWindow;

    public IReadOnlyList<CertificateState> Of(ClusterView cluster) => CertificateExpiry.Of(cluster, WarningWindow, time.GetUtcNow());

    public bool ExpiresSoon(ClusterView cluster) => CertificateExpiry.ExpiresSoon(cluster, WarningWindow, time.GetUtcNow());
}
