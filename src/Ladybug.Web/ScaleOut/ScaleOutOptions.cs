namespace Ladybug.Web.ScaleOut;

/// <summary>Section "Ladybug:SignalR": what several console replicas share for live events.</summary>
public sealed class ScaleOutOptions
{
    public const string Section = "Ladybug:SignalR";

    /// <summary>StackExchange.Redis configuration (e.g. <c>redis:6379,password=…</c>); empty means one replica, events stay in-process.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis channel the replicas use, so several Ladybug installations can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "ladybug";
}
