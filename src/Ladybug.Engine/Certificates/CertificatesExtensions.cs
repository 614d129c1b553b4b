using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Engine.Certificates;

public static class CertificatesExtensions
{
    /// <summary>Reads the certificates' ends after a create and daily (the renewal job itself is a bootstrap job).</summary>
    public static IServiceCollection AddCertificateMonitor(this IServiceCollection services)
    {
        services.AddSingleton<IServingCertificateProbe, TlsServingCertificateProbe>();
        services.AddSingleton<CertificateChecker>();
        services.AddHostedService<CertificateMonitor>();
        return services;
    }
}
