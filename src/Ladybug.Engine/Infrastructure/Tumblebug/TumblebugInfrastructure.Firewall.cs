using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// The cluster's firewall. Since v0.12.26 infraDynamic builds each node group's security group ("{infraId}-{nodeGroup}")
// from a SecurityGroup template, "sg-default" when none is named, and that one opens only TCP 22
// (cb-tumblebug src/core/resource/common.go:3290-3345, init/templates/sg-default.json @v0.13.0). So every cluster
// registers its own template before its machines are made, names it on the Infra and on every node group, and
// deletes it with the machines.
public sealed partial class TumblebugInfrastructure
{
    /// <summary>One template per cluster: Tumblebug's CheckString allows letters, digits, '-' and '+'.</summary>
    public static string FirewallTemplateId(string groupId) => $"ladybug-{groupId}";

    /// <summary>
    /// Registers the cluster's template, or finds it from an earlier run (Tumblebug answers 400 "already exists") and
    /// brings its rules in line: a template only shapes the security groups made from it afterwards.
    /// </summary>
    private async Task<string> EnsureFirewallTemplateAsync(string ns, string groupId, ClusterFirewall firewall, CancellationToken cancellationToken)
    {
        var id = FirewallTemplateId(groupId);
        var request = new SecurityGroupTemplateReq
        {
            Name = id,
            Description = $"Inbound rules of the machines of Ladybug cluster {groupId}",
            SecurityGroupReq = new SecurityGroupReq { FirewallRules = [.. firewall.Inbound.Select(ToRule)] },
        };
        try
        {
            await api.CreateSecurityGroupTemplateAsync(ns, request, cancellationToken);
            logger.LogInformation("Registered security group template {Template} in {Namespace}", id, ns);
            return id;
        }
        catch (Exception ex) when (TumblebugErrors.ServerMessage(ex)?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A re-run after a restart or a retried create: check that it says what this cluster needs.
        }
        catch (Exception ex) when (ex is not InfrastructureException && !cancellationToken.IsCancellationRequested)
        {
            throw await TranslateAsync(ex, $"register security group template '{id}'", cancellationToken);
        }
        var existing = await CallAsync($"read security group template '{id}'", ct => api.GetSecurityGroupTemplateAsync(ns, id, ct), cancellationToken);
        if (!SameRules(existing.SecurityGroupReq.FirewallRules ?? [], request.SecurityGroupReq.FirewallRules!))
        {
            logger.LogInformation("Security group template {Template} in {Namespace} had other rules; updating it", id, ns);
            await CallAsync($"update security group template '{id}'", ct => api.UpdateSecurityGroupTemplateAsync(ns, id, request, ct), cancellationToken);
        }
        return id;
    }

    /// <summary>Deletes the cluster's template; one that is not there (never made, or deleted before) is fine.</summary>
    private async Task DeleteFirewallTemplateAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        var id = FirewallTemplateId(groupId);
        try
        {
            await api.DeleteSecurityGroupTemplateAsync(ns, id, cancellationToken);
            logger.LogInformation("Deleted security group template {Template} of {Namespace}", id, ns);
        }
        catch (Exception ex) when (TumblebugErrors.ServerMessage(ex) is { } message
            && (message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("not valid namespace", StringComparison.OrdinalIgnoreCase)))
        {
            logger.LogInformation("Security group template {Template} of {Namespace} was already gone", id, ns);
        }
        catch (Exception ex) when (ex is not InfrastructureException && !cancellationToken.IsCancellationRequested)
        {
            throw await TranslateAsync(ex, $"delete security group template '{id}'", cancellationToken);
        }
    }

    /// <summary>
    /// Deletes the security groups Tumblebug made for the cluster's node groups. They outlive the Infra (DelInfra only
    /// drops their association, manageInfo.go:3280-3310 @v0.13.0), and an Infra of the same name made later would
    /// reuse them as they are, old rules and all (provisioning.go:4215-4230).
    /// </summary>
    private async Task DeleteSecurityGroupsAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        IdList ids;
        try
        {
            ids = await CallAsync($"list the security groups of namespace '{ns}'", ct => api.ListSecurityGroupIdsAsync(ns, ct), cancellationToken);
        }
        catch (InfrastructureException ex) when (ex.NotFound)
        {
            return; // no namespace, no security groups
        }
        foreach (var id in (ids.Output ?? []).Where(id => IsNodeGroupSecurityGroup(groupId, id)))
        {
            try
            {
                await api.DeleteSecurityGroupAsync(ns, id, cancellationToken);
                logger.LogInformation("Deleted security group {SecurityGroup} of {Namespace}", id, ns);
            }
            catch (Exception ex) when (TumblebugErrors.ServerMessage(ex)?.Contains("does not exist", StringComparison.OrdinalIgnoreCase) == true)
            {
                // Deleted meanwhile: what we wanted.
            }
            catch (Exception ex) when (ex is not InfrastructureException && !cancellationToken.IsCancellationRequested)
            {
                throw await TranslateAsync(ex, $"delete security group '{id}'", cancellationToken);
            }
        }
    }

    /// <summary>"{infraId}-{nodeGroup}" with Ladybug's pool names ("cp", "w1"…), so cluster "a" never takes cluster "a-w1"'s "a-w1-cp".</summary>
    internal static bool IsNodeGroupSecurityGroup(string groupId, string id) =>
        id.StartsWith(groupId + "-", StringComparison.Ordinal) && PoolName().IsMatch(id[(groupId.Length + 1)..]);

    [GeneratedRegex("^(cp|w[0-9]+)$")]
    private static partial Regex PoolName();

    private static CreateNodeGroupDynamicReq WithFirewall(CreateNodeGroupDynamicReq group, string template)
    {
        group.SgTemplateId = template;
        return group;
    }

    private static FirewallRuleReq ToRule(FirewallRule rule) =>
        new() { Ports = rule.Ports, Protocol = rule.Protocol, Direction = "inbound", Cidr = rule.Cidr };

    private static bool SameRules(IReadOnlyCollection<FirewallRuleReq> a, IReadOnlyCollection<FirewallRuleReq> b) =>
        a.Count == b.Count && a.Select(Key).Order(StringComparer.Ordinal).SequenceEqual(b.Select(Key).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static string Key(FirewallRuleReq r) =>
        $"{r.Direction.ToLowerInvariant()}|{r.Protocol.ToUpperInvariant()}|{r.Ports}|{r.Cidr}";
}
