using System.Text.Json.Serialization;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// SecurityGroup templates (cb-tumblebug src/core/model/template.go:177-215, model/securitygroup.go:66-90 @v0.13.0).

/// <summary>Body of POST /ns/{ns}/template/securityGroup and PUT …/{templateId}; the template's id is its name.</summary>
public sealed class SecurityGroupTemplateReq
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public SecurityGroupReq SecurityGroupReq { get; set; } = new();
}

/// <summary>Only the rules matter in a template: connection and vNet come from the node group that uses it.</summary>
public sealed class SecurityGroupReq
{
    public List<FirewallRuleReq>? FirewallRules { get; set; }
}

/// <summary>Go's tags are PascalCase ("Ports", "CIDR"); Tumblebug reads keys case-insensitively anyway.</summary>
public sealed class FirewallRuleReq
{
    [JsonPropertyName("Ports")] public string Ports { get; set; } = "";
    [JsonPropertyName("Protocol")] public string Protocol { get; set; } = "";
    [JsonPropertyName("Direction")] public string Direction { get; set; } = "inbound";
    [JsonPropertyName("CIDR")] public string Cidr { get; set; } = "";
}

public sealed class SecurityGroupTemplateInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public SecurityGroupReq SecurityGroupReq { get; set; } = new();
}
