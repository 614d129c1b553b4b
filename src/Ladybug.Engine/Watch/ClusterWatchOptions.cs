namespace Ladybug.Engine.Watch;

/// <summary>Section "Ladybug:Watch": how the console follows its Provisioned clusters through their Kubernetes API.</summary>
public sealed class ClusterWatchOptions
{
    public const string Section = "Ladybug:Watch";

    /// <summary>Off: no cluster is watched and health stays as last stored.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>A list, or the opening of a watch, that gets no answer within this counts as the endpoint not answering.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// The API server ends each watch after this and the console resumes it from the last resourceVersion (client-go's
    /// reflector does the same, every 5 to 10 minutes), so a connection that died silently is noticed within this.
    /// One minute, not client-go's 5: a powered-off control plane sends nothing, and client-go notices that through
    /// its HTTP/2 health ping (30 s idle + 15 s), which this watcher's HTTP/1.1 connections do not have; a dashboard
    /// that shows such a cluster Healthy for five minutes is not live. Cost: three requests per cluster a minute.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Wait before reconnecting after a watch failed; doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>While the endpoint does not answer, how often the nodes are read with kubectl over SSH on a control plane.</summary>
    public TimeSpan SshInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long one SSH read may take, connecting included.</summary>
    public TimeSpan SshTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
