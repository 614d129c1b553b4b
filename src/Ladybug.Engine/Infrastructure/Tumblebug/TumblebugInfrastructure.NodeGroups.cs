namespace Ladybug.Engine.Infrastructure.Tumblebug;

// The node groups of a creating call: each pool's spec and Ubuntu image, looked up on its connection.
public sealed partial class TumblebugInfrastructure
{
    private async Task<List<CreateNodeGroupDynamicReq>> BuildNodeGroupsAsync(IReadOnlyList<MachinePoolRequest> pools, CancellationToken cancellationToken)
    {
        var groups = new List<CreateNodeGroupDynamicReq>();
        foreach (var pool in pools)
            groups.Add(await BuildNodeGroupAsync(pool, cancellationToken));
        return groups;
    }

    private async Task<CreateNodeGroupDynamicReq> BuildNodeGroupAsync(MachinePoolRequest pool, CancellationToken cancellationToken)
    {
        var spec = (await ListSpecInfosAsync(pool.Connection, cancellationToken)).FirstOrDefault(s => ToSpec(s).Matches(pool.Spec))
            ?? throw new InfrastructureException($"Spec '{pool.Spec}' is not offered on connection '{pool.Connection}'.");
        var image = await FindUbuntuImageAsync(spec, pool.UbuntuRelease, cancellationToken);
        return new CreateNodeGroupDynamicReq
        {
            Name = pool.PoolName,
            NodeGroupSize = pool.Count,
            Description = $"Ladybug node pool {pool.PoolName}",
            Label = new() { ["ladybug-pool"] = pool.PoolName },
            SpecId = spec.Id,
            ImageId = image,
            ConnectionName = pool.Connection,
            RootDiskType = string.IsNullOrWhiteSpace(pool.RootDiskType) ? "default" : pool.RootDiskType,
            RootDiskSize = pool.RootDiskSizeGb ?? 0,
        };
    }

    /// <summary>The image id of Ubuntu <paramref name="release"/> ("22.04") for the spec's CSP, region and architecture.</summary>
    private async Task<string> FindUbuntuImageAsync(SpecInfo spec, string release, CancellationToken cancellationToken)
    {
        var osType = $"ubuntu {release}";
        // No osArchitecture: with matchedSpecId Tumblebug takes the spec's own, and when that is "" or "NA" it would
        // filter on ours instead — "NA" then finds only "na" images (cb-tumblebug src/core/resource/image.go:2067-2070,
        // 2113-2119 @v0.13.0).
        var request = new SearchImageRequest
        {
            MatchedSpecId = spec.Id,
            OsType = osType,
            IncludeBasicImageOnly = true,
            MaxResults = 20,
        };
        var found = await CallAsync($"find an Ubuntu {release} image for spec '{spec.Id}'",
            ct => api.SearchImageAsync(SystemNamespace, request, ct), cancellationToken);
        var image = found.ImageList
            .Where(i => i.OsType.Equals(osType, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(i => i.IsBasicImage)
            .FirstOrDefault()
            ?? throw new InfrastructureException(
                $"Tumblebug has no Ubuntu {release} image for {spec.CspSpecName} on connection '{spec.ConnectionName}'; this Kubernetes version needs Ubuntu {release}.");
        return string.IsNullOrEmpty(image.Id) ? image.CspImageName : image.Id;
    }
}
