using System.Globalization;
using System.Text.Json.Serialization;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Emulator;

// Security groups as Tumblebug v0.13 makes them for infraDynamic: each node group gets its own SG
// "{infraId}-{nodeGroup}" built from a SecurityGroup template (cb-tumblebug src/core/resource/common.go:3164-3186,
// 3290-3372 @v0.13.0); with no sgTemplateId the template is "sg-default" (src/core/model/common.go:327-333), which
// opens only TCP 22 (init/templates/sg-default.json). A missing template fails the node group: there is no all-open
// fallback since v0.12.26.

/// <summary>model.FirewallRuleReq (src/core/model/securitygroup.go:80-90 @v0.13.0): Go's tags are PascalCase, reading is case-insensitive.</summary>
internal sealed class FirewallRuleReq
{
    [JsonPropertyName("Ports")] public string? Ports { get; init; }
    [JsonPropertyName("Protocol")] public string? Protocol { get; init; }
    [JsonPropertyName("Direction")] public string? Direction { get; init; }
    [JsonPropertyName("CIDR")] public string? Cidr { get; init; }
}

/// <summary>model.SecurityGroupReq (src/core/model/securitygroup.go:66-76 @v0.13.0); Go writes every field, a nil rule list as null.</summary>
internal sealed class SecurityGroupReq
{
    public string Name { get; init; } = "";
    public string ConnectionName { get; init; } = "";
    public string VNetId { get; init; } = "";
    public string Description { get; init; } = "";
    public List<FirewallRuleReq>? FirewallRules { get; init; }
    public string CspResourceId { get; init; } = "";
}

/// <summary>model.SecurityGroupTemplateReq (src/core/model/template.go:205-215 @v0.13.0).</summary>
internal sealed class SecurityGroupTemplateReq
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public SecurityGroupReq? SecurityGroupReq { get; init; }
}

/// <summary>model.SecurityGroupTemplateInfo (src/core/model/template.go:177-203 @v0.13.0).</summary>
internal sealed record SecurityGroupTemplateInfo(
    string ResourceType, string Id, string Name, string Description, string Source, string CreatedAt, string UpdatedAt, SecurityGroupReq SecurityGroupReq);

/// <summary>model.SecurityGroupTemplateListResponse: Go's nil slice when the namespace has none, so "templates": null.</summary>
internal sealed record SecurityGroupTemplateListResponse(IReadOnlyList<SecurityGroupTemplateInfo>? Templates);

/// <summary>A security group resource made for a node group, with the rules it was created with.</summary>
internal sealed record SecurityGroupRecord(string Namespace, string Id, string ConnectionName, string TemplateId, List<InboundRule> Inbound);

/// <summary>The emulator's templates and security groups, guarded by <see cref="EmulatorState.Sync"/>.</summary>
internal sealed class SecurityGroupBook
{
    public const string DefaultTemplateId = "sg-default";

    public SecurityGroupBook()
    {
        // What `make init` loads into the system namespace (init/init.py:1077-1100 @v0.13.0), verbatim from
        // init/templates/sg-default.json @v0.13.0.
        Templates[(EmulatorState.SystemNamespace, DefaultTemplateId)] = new SecurityGroupTemplateInfo(
            "securityGroup", DefaultTemplateId, DefaultTemplateId,
            "Default SecurityGroup policy for Infra dynamic provisioning. Used automatically when no sgTemplateId is specified (single source of truth for the default firewall policy). Opens ONLY SSH (TCP 22) inbound so freshly provisioned nodes are reachable for management but not otherwise exposed. To open application/node-to-node ports, assign a separate application-specific SecurityGroup to the nodes rather than editing this shared default (keeps the shared default reusable). Edit here to change the default without recompiling.",
            "user", "", "",
            new SecurityGroupReq { FirewallRules = [new FirewallRuleReq { Ports = "22", Protocol = "TCP", Direction = "inbound", Cidr = "0.0.0.0/0" }] });
    }

    public Dictionary<(string Ns, string Id), SecurityGroupTemplateInfo> Templates { get; } = [];
    public Dictionary<(string Ns, string Id), SecurityGroupRecord> Groups { get; } = [];

    /// <summary>Lookup order of common.go:3300-3325 @v0.13.0: the user's namespace first, then system.</summary>
    public SecurityGroupTemplateInfo? FindTemplate(string ns, string templateId) =>
        Templates.GetValueOrDefault((ns, templateId)) ?? Templates.GetValueOrDefault((EmulatorState.SystemNamespace, templateId));

    /// <summary>
    /// The node group's SG "{infraId}-{nodeGroup}" (provisioning.go:4215-4260 @v0.13.0): an existing one is used as it
    /// is (Tumblebug looks it up first and creates it from the template only when missing); otherwise it is made from
    /// the effective template. Returns the SG, or Tumblebug's error for the node group.
    /// </summary>
    public (SecurityGroupRecord? Group, string? Error) Provide(string ns, string infraId, string nodeGroup, string connection, string? templateId)
    {
        var sgId = $"{infraId}-{nodeGroup}";
        if (Groups.TryGetValue((ns, sgId), out var existing)) return (existing, null);
        var effective = string.IsNullOrEmpty(templateId) ? DefaultTemplateId : templateId;
        var template = FindTemplate(ns, effective);
        if (template is null)
            // common.go:3340-3343 wrapped by provisioning.go:4256-4258 @v0.13.0.
            return (null, $"failed to create default SecurityGroup for VM '{nodeGroup}' in namespace '{ns}' using connection '{connection}': " +
                $"SecurityGroup template '{effective}' not found in namespace '{ns}' or system namespace; load it before provisioning " +
                "(e.g. run 'make init' to load init/templates, or register it via the template API). " +
                "This may be due to CSP quotas, permissions, or firewall rule configuration issues");
        var group = new SecurityGroupRecord(ns, sgId, connection, effective, ToInbound(template.SecurityGroupReq.FirewallRules));
        Groups[(ns, sgId)] = group;
        return (group, null);
    }

    /// <summary>
    /// The inbound rules a template's firewallRules make: "22,900-1000" is one rule per item, ICMP has no ports, and the
    /// CIDR keyword "internal" stays until <see cref="ResolveInternal"/> knows the node's vNet.
    /// </summary>
    public static List<InboundRule> ToInbound(IEnumerable<FirewallRuleReq>? rules)
    {
        var inbound = new List<InboundRule>();
        foreach (var rule in rules ?? [])
        {
            if (!string.Equals(rule.Direction, "inbound", StringComparison.OrdinalIgnoreCase)) continue;
            var protocol = (rule.Protocol ?? "").ToLowerInvariant();
            var cidr = string.IsNullOrEmpty(rule.Cidr) ? "0.0.0.0/0" : rule.Cidr;
            if (protocol is "icmp")
            {
                inbound.Add(new InboundRule("icmp", 0, 0, cidr));
                continue;
            }
            var ports = string.IsNullOrWhiteSpace(rule.Ports) || protocol == "all" ? "1-65535" : rule.Ports;
            foreach (var item in ports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var range = item.Split('-');
                if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)) continue;
                var to = range.Length > 1 && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end : from;
                inbound.Add(new InboundRule(protocol, from, to, cidr));
            }
        }
        return inbound;
    }

    /// <summary>
    /// The CIDR keyword "internal" is the SG's vNet CIDR (common.go:3344-3372 @v0.13.0); Tumblebug's generated vNets
    /// are 10.{i}.0.0/16, and so are the sandbox's private addresses.
    /// </summary>
    public static List<InboundRule> ResolveInternal(IEnumerable<InboundRule> rules, string privateIp) =>
        [.. rules.Select(r => r.Cidr.Equals("internal", StringComparison.OrdinalIgnoreCase)
            ? r with { Cidr = string.Join('.', privateIp.Split('.').Take(2)) + ".0.0/16" }
            : r)];
}

/// <summary>
/// Resource preparation of an infraDynamic or nodeGroupDynamic call, reduced to the security groups: each node group
/// gets its SG or an error; when every node group failed, the create call fails with Tumblebug's timeline message.
/// </summary>
internal sealed class SecurityGroupPreparation
{
    private readonly List<string> _timeline = [];
    private int _groups;

    public Dictionary<string, string> Failed { get; } = new(StringComparer.Ordinal);

    public bool AllFailed => _groups > 0 && Failed.Count == _groups;

    /// <summary>Call under <see cref="EmulatorState.Sync"/>.</summary>
    public static SecurityGroupPreparation Prepare(EmulatorState state, string ns, string infraId, IReadOnlyList<(string NodeGroup, string Connection, string? TemplateId)> groups)
    {
        var preparation = new SecurityGroupPreparation { _groups = groups.Count };
        foreach (var (nodeGroup, connection, templateId) in groups)
        {
            var (_, error) = state.SecurityGroups.Provide(ns, infraId, nodeGroup, connection, templateId);
            if (error is null) continue;
            preparation.Failed[nodeGroup] = error;
            preparation.Note("NodeGroup Resource Preparation", $"Failed to prepare resources for NodeGroup '{nodeGroup}': {error}");
        }
        if (preparation.Failed.Count > 0)
        {
            preparation.Note("Resource Preparation Summary",
                $"Resource preparation failed for {preparation.Failed.Count} NodeGroup(s) out of {groups.Count} total NodeGroups");
            foreach (var (nodeGroup, error) in preparation.Failed)
                preparation.Note("NodeGroup Resource Failure", $"NodeGroup '{nodeGroup}': {error}");
        }
        if (preparation.AllFailed)
            preparation.Note("Infra Status Decision", "All NodeGroups failed resource preparation - marking Infra as Failed");
        return preparation;
    }

    /// <summary>CreateInfraDynamic's message when every node group failed (provisioning.go:2165-2212 @v0.13.0).</summary>
    public string AllFailedMessage(string infraName)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"Infra '{infraName}' creation failed - all NodeGroups failed resource preparation.\n\n");
        text.Append("Complete Error Timeline:\n");
        for (var i = 0; i < _timeline.Count; i++) text.Append($"  {i + 1}. {_timeline[i]}\n");
        text.Append('\n');
        text.Append("Summary: All NodeGroups failed during resource preparation phase.\n");
        text.Append("Common causes: VPC/subnet limits, insufficient permissions, region capacity issues, or network configuration problems.\n");
        text.Append("Check the error timeline above for specific failure details.");
        return text.ToString();
    }

    private void Note(string phase, string details) =>
        _timeline.Add($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {phase}: {details}");
}
