using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Certificates;

/// <summary>One certificate as people see it: when it ends, and whether that is within the warning window.</summary>
public sealed record CertificateState(string Name, DateTimeOffset ExpiresAt, bool ExpiresSoon, bool Expired);

/// <summary>The stored expiry dates of a cluster, judged against the warning window.</summary>
public static class CertificateExpiry
{
    public const string ApiServer = "apiserver";
    public const string Admin = "admin";

    /// <summary>The API server's serving certificate first, then the admin client certificate; those never read are left out.</summary>
    public static IReadOnlyList<CertificateState> Of(ClusterView cluster, TimeSpan warningWindow, DateTimeOffset now)
    {
        var states = new List<CertificateState>();
        if (cluster.ApiServerCertificateExpiresAt is { } apiServer) states.Add(State(ApiServer, apiServer, warningWindow, now));
        if (cluster.AdminCertificateExpiresAt is { } admin) states.Add(State(Admin, admin, warningWindow, now));
        return states;
    }

    /// <summary>Whether any stored certificate of the cluster expires within the window (or has expired).</summary>
    public static bool ExpiresSoon(ClusterView cluster, TimeSpan warningWindow, DateTimeOffset now) =>
        Of(cluster, warningWindow, now).Any(c => c.ExpiresSoon);

    private static CertificateState State(string name, DateTimeOffset expiresAt, TimeSpan warningWindow, DateTimeOffset now) =>
        new(name, expiresAt, expiresAt - now <= warningWindow, expiresAt <= now);
}
