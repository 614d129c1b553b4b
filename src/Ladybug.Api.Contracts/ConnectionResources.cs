namespace Ladybug.Api.Contracts;

/// <summary>The cloud connections machines can be placed on (a Ladybug addition; cb-mcks had no such list).</summary>
public sealed record ConnectionList
{
    public string Kind { get; init; } = "ConnectionList";
    public IReadOnlyList<ConnectionItem> Items { get; init; } = [];
}

/// <summary>One connection: what a pool's <c>connection</c> names, and where it places machines.</summary>
public sealed record ConnectionItem
{
    /// <summary>e.g. "aws-ap-northeast-1".</summary>
    public string Name { get; init; } = "";
    /// <summary>The cloud, as the broker names it ("aws", "gcp", "azure"…).</summary>
    public string Csp { get; init; } = "";
    public string Region { get; init; } = "";
    public string Zone { get; init; } = "";
    /// <summary>The region's place name, e.g. "Tokyo", when the broker knows it.</summary>
    public string Location { get; init; } = "";
}
