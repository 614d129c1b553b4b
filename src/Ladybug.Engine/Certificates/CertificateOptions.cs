namespace Ladybug.Engine.Certificates;

/// <summary>Section "Ladybug:Certificates": when a cluster's certificates are read and when they count as expiring.</summary>
public sealed class CertificateOptions
{
    public const string Section = "Ladybug:Certificates";

    /// <summary>A certificate whose notAfter is this close (or past) is flagged; kubeadm's leaf certificates last a year.</summary>
    public TimeSpan WarningWindow { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How often each Provisioned cluster's certificates are read again (also after every renewal and create); 0 = only then.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromDays(1);
    /// <summary>One TLS handshake with one control plane's API server.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
