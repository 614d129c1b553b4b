using Ladybug.Sandbox.Catalog;

namespace Ladybug.Sandbox.Emulator;

/// <summary>Builds Tumblebug's wire objects from the emulator's records. Callers hold <see cref="EmulatorState.Sync"/>.</summary>
internal static class WireViews
{
    private const string SystemLabel = "Managed by CB-Tumblebug";

    public static ConnConfig ConnConfig(CatalogRegion region, bool verified = true) => new(
        ConfigName: region.ConnectionName,
        ProviderName: region.Provider,
        DriverName: $"{region.Provider}-driver-v1.0.so",
        CredentialName: region.Provider,
        CredentialHolder: "admin",
        RegionZoneInfoName: region.ConnectionName,
        RegionZoneInfo: new RegionZoneInfo(region.Region, region.AssignedZone),
        RegionDetail: new RegionDetail(region.Region, region.Region, region.Description, Location(region), region.Zones, null),
        RegionRepresentative: true,
        Verified: verified);

    public static Location Location(CatalogRegion region) => new(region.Display, region.Latitude, region.Longitude);

    public static SpecInfo Spec(CatalogSpec spec, int order) => new()
    {
        Id = spec.Id,
        Uid = spec.Id,
        CspSpecName = spec.CspSpecName,
        Name = spec.Id,
        Namespace = EmulatorState.SystemNamespace,
        ConnectionName = spec.Region.ConnectionName,
        ProviderName = spec.Region.Provider,
        RegionName = spec.Region.Region,
        RegionLatitude = spec.Region.Latitude,
        RegionLongitude = spec.Region.Longitude,
        Architecture = spec.Architecture,
        OsType = "",
        VCpu = spec.VCpu,
        MemoryGiB = spec.MemoryGiB,
        CostPerHour = spec.CostPerHour,
        OrderInFilteredResult = order,
        RootDiskType = "default",
        SystemLabel = "from-assets",
        Description = $"{spec.CspSpecName} ({spec.VCpu} vCPU, {spec.MemoryGiB:0.#} GiB) in {spec.Region.Display}",
    };

    public static ImageInfo Image(CatalogImage image, CatalogRegion region) => new()
    {
        Namespace = EmulatorState.SystemNamespace,
        ProviderName = image.Provider,
        CspImageName = image.CspImageName,
        RegionList = [image.Region],
        Id = image.Id,
        Uid = image.Id,
        Name = image.Id,
        CspImageId = image.CspImageName,
        ConnectionName = region.ConnectionName,
        FetchedTime = "2025-01-15 00:00:00",
        CreationDate = "2025-01-10",
        IsBasicImage = true,
        OsType = image.OsType,
        OsArchitecture = CatalogImage.Architecture,
        OsPlatform = "Linux/UNIX",
        OsDistribution = image.Distribution,
        OsDiskType = "gp3",
        OsDiskSizeGB = 8,
        ImageStatus = "Available",
        SystemLabel = SystemLabel,
        Description = $"Canonical, {image.Distribution}, amd64",
    };

    public static InfraInfo Infra(InfraRecord infra, InfraCreationErrors? creationErrors = null) => new()
    {
        Id = infra.Id,
        Uid = infra.Uid,
        Name = infra.Id,
        Status = StatusText(infra),
        StatusCount = Counts(infra),
        TargetStatus = TargetStatus(infra),
        TargetAction = TargetAction(infra),
        InstallMonAgent = infra.InstallMonAgent,
        Label = InfraLabel(infra),
        Description = infra.Description,
        SystemMessage = infra.SystemMessage is null ? null : [.. infra.SystemMessage],
        Node = infra.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => Node(infra, n)).ToList(),
        NewNodeList = infra.NewNodeList,
        CreationErrors = creationErrors,
    };

    public static NodeInfo Node(InfraRecord infra, NodeRecord node) => new()
    {
        Id = node.Id,
        Uid = node.Uid,
        CspResourceName = node.Uid,
        CspResourceId = CspResourceId(node),
        Name = node.Id,
        NodeGroupId = node.NodeGroupId,
        Location = Location(node.Region),
        Status = node.ReportedStatus,
        TargetStatus = node.TargetStatus,
        TargetAction = node.TargetAction,
        MonAgentStatus = "notInstalled",
        NetworkAgentStatus = "notInstalled",
        SystemMessage = node.SystemMessage,
        CreatedTime = node.CreatedTime,
        Label = NodeLabel(infra, node),
        Description = node.Description,
        Region = new NodeRegion(node.Region.Region, node.Region.AssignedZone is "" ? null : node.Region.AssignedZone),
        PublicIP = PublicIp(node),
        SshPort = SshPort(node),
        PrivateIP = node.PrivateIp,
        RootDiskType = node.RootDiskType,
        RootDiskSize = node.RootDiskSize,
        RootDeviceName = "/dev/sda1",
        ConnectionName = node.ConnectionName,
        ConnectionConfig = ConnConfig(node.Region),
        SpecId = node.Spec.Id,
        CspSpecName = node.Spec.CspSpecName,
        Spec = new SpecSummary(node.Spec.CspSpecName, node.Spec.VCpu, node.Spec.MemoryGiB, "", 0, 0, "", node.Spec.CostPerHour),
        ImageId = node.Image.Id,
        CspImageName = node.Image.CspImageName,
        Image = new ImageSummary("image", node.Image.CspImageName, node.Image.OsType, CatalogImage.Architecture, node.Image.Distribution),
        VNetId = node.VNetId(infra.Namespace),
        CspVNetId = $"vnet-{node.VNetId(infra.Namespace)}",
        SubnetId = $"{node.VNetId(infra.Namespace)}-subnet-01",
        CspSubnetId = $"subnet-{node.VNetId(infra.Namespace)}",
        // The node group's own SG (SecurityGroupBook.Provide; src/core/resource/common.go:3166-3173 @v0.13.0).
        SecurityGroupIds = [$"{infra.Id}-{node.NodeGroupId}"],
        SshKeyId = node.SshKeyId,
        CspSshKeyId = node.CspSshKeyId,
        NodeUserName = node.Machine?.Identity.User,
    };

    public static InfraStatusInfo Status(InfraRecord infra)
    {
        var master = infra.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal).FirstOrDefault(n => n.ReportedStatus == NodeStatus.Running);
        return new InfraStatusInfo
        {
            Id = infra.Id,
            Name = infra.Id,
            Status = StatusText(infra),
            StatusCount = Counts(infra),
            TargetStatus = TargetStatus(infra),
            TargetAction = TargetAction(infra),
            InstallMonAgent = infra.InstallMonAgent,
            MasterNodeId = master?.Id ?? "",
            MasterIp = master is null ? "" : PublicIp(master),
            MasterSSHPort = master is null ? 0 : SshPort(master),
            Label = InfraLabel(infra),
            Node = infra.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => new NodeStatusInfo
            {
                Id = n.Id,
                Uid = n.Uid,
                CspResourceName = n.Uid,
                CspResourceId = CspResourceId(n),
                Name = n.Id,
                Status = n.ReportedStatus,
                TargetStatus = n.TargetStatus,
                TargetAction = n.TargetAction,
                NativeStatus = n.ReportedStatus,
                MonAgentStatus = "notInstalled",
                SystemMessage = n.SystemMessage,
                CreatedTime = n.CreatedTime,
                PublicIp = PublicIp(n),
                PrivateIp = n.PrivateIp,
                SshPort = SshPort(n),
                Location = Location(n.Region),
            }).ToList(),
        };
    }

    /// <summary>
    /// One entry per node group, Terminated nodes skipped inside it, lists only appended to — so Go's nil slices come
    /// out as null (src/core/infra/manageInfo.go:747-821 @v0.13.0). The private key only with showSshKey, and
    /// omitted when empty (omitempty, src/core/model/infra.go:977 @v0.13.0).
    /// </summary>
    public static InfraAccessInfo Access(InfraRecord infra, Func<NodeRecord, string> privateKey, bool showKey)
    {
        List<InfraNodeGroupAccessInfo>? groups = null;
        foreach (var group in infra.Nodes.GroupBy(n => n.NodeGroupId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            List<InfraNodeAccessInfo>? nodes = null;
            foreach (var n in group.Where(n => n.Status != NodeStatus.Terminated).OrderBy(n => n.Id, StringComparer.Ordinal))
            {
                var key = showKey ? privateKey(n) : "";
                (nodes ??= []).Add(new InfraNodeAccessInfo(n.Id, PublicIp(n), n.PrivateIp, SshPort(n), key is "" ? null : key,
                    n.Machine?.Identity.User ?? "cb-user", null, ConnConfig(n.Region)));
            }
            (groups ??= []).Add(new InfraNodeGroupAccessInfo(group.Key, "", nodes));
        }
        return new InfraAccessInfo(infra.Id, groups);
    }

    /// <summary>"Running:3 (R:3/3)", "Partial-Running:2 (R:2/3)" (manageInfo.go), "Empty" with no nodes.</summary>
    public static string StatusText(InfraRecord infra)
    {
        if (infra.Nodes.Count == 0) return infra.StoredStatus ?? NodeStatus.Empty;
        var counts = infra.Nodes.GroupBy(n => n.ReportedStatus).ToDictionary(g => g.Key, g => g.Count());
        var dominant = NodeStatus.Precedence.Where(counts.ContainsKey).OrderByDescending(s => counts[s]).FirstOrDefault()
            ?? counts.OrderByDescending(c => c.Value).First().Key;
        var running = counts.GetValueOrDefault(NodeStatus.Running);
        var partial = counts.Count > 1 ? "Partial-" : "";
        return $"{partial}{dominant}:{counts[dominant]} (R:{running}/{infra.Nodes.Count})";
    }

    /// <summary>While any node is still being created the Infra aims at Running through Create; afterwards at nothing.</summary>
    /// <remarks>A node-less Infra reports its stored targetAction (a Failed preparation leaves "Create" for good).</remarks>
    private static bool IsCreating(InfraRecord infra) => infra.Nodes.Count == 0
        ? infra.StoredTargetAction == "Create"
        : infra.Nodes.Any(n => n.TargetAction == "Create");

    private static string TargetStatus(InfraRecord infra) => TargetActionOf(infra) switch
    {
        "Terminate" => NodeStatus.Terminated,
        "Create" => NodeStatus.Running,
        _ => NodeStatus.None,
    };

    private static string TargetAction(InfraRecord infra) => TargetActionOf(infra);

    /// <summary>
    /// Terminate while a DELETE ?option=terminate has nodes still Terminating; Tumblebug's status read sets it back to
    /// None once they all ended (cb-tumblebug src/core/infra/manageInfo.go:1434-1470 @v0.13.0).
    /// </summary>
    public static string TargetActionOf(InfraRecord infra) =>
        infra.Terminating && infra.Nodes.Any(n => n.Status == NodeStatus.Terminating) ? "Terminate"
        : IsCreating(infra) ? "Create"
        : NodeStatus.None;

    private static string CspResourceId(NodeRecord node) => node.Machine is null ? "" : $"sandbox-{node.Uid}";

    private static StatusCountInfo Counts(InfraRecord infra)
    {
        int Count(string status) => infra.Nodes.Count(n => n.ReportedStatus == status);
        return new StatusCountInfo
        {
            CountTotal = infra.Nodes.Count,
            CountCreating = Count(NodeStatus.Creating),
            CountRunning = Count(NodeStatus.Running),
            CountFailed = Count(NodeStatus.Failed),
            CountTerminated = Count(NodeStatus.Terminated),
            CountTerminating = Count(NodeStatus.Terminating),
            CountUndefined = Count(NodeStatus.Undefined),
        };
    }

    /// <summary>The address exists once the VM does; a node still Creating has none yet.</summary>
    private static string PublicIp(NodeRecord node) => node.Machine is { } vm && node.Status != NodeStatus.Creating ? vm.Identity.PublicIp : "";

    private static int SshPort(NodeRecord node) => node.Machine is { } vm && node.Status != NodeStatus.Creating ? vm.Identity.SshPort : 22;

    private static Dictionary<string, string> InfraLabel(InfraRecord infra) => new(infra.UserLabel)
    {
        ["sys.manager"] = "cb-tumblebug",
        ["sys.namespace"] = infra.Namespace,
        ["sys.labelType"] = "infra",
        ["sys.id"] = infra.Id,
        ["sys.name"] = infra.Id,
        ["sys.uid"] = infra.Uid,
        ["sys.description"] = infra.Description,
    };

    private static Dictionary<string, string> NodeLabel(InfraRecord infra, NodeRecord node) => new(node.UserLabel)
    {
        ["sys.manager"] = "cb-tumblebug",
        ["sys.namespace"] = infra.Namespace,
        ["sys.labelType"] = "node",
        ["sys.id"] = node.Id,
        ["sys.name"] = node.Id,
        ["sys.uid"] = node.Uid,
        ["sys.infraId"] = infra.Id,
        ["sys.nodeGroupId"] = node.NodeGroupId,
        ["sys.createdTime"] = node.CreatedTime,
        ["sys.connectionName"] = node.ConnectionName,
        ["sys.cspResourceName"] = node.Uid,
        ["sys.vNetId"] = node.VNetId(infra.Namespace),
        ["sys.subnetId"] = $"{node.VNetId(infra.Namespace)}-subnet-01",
        ["sys.description"] = node.Description,
    };
}
