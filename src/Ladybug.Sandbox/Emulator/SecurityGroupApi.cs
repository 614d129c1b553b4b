using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Tumblebug v0.13's SecurityGroup template routes (src/interface/rest/server/server.go:721-725 @v0.13.0; handlers in
/// src/interface/rest/server/resource/template.go:304-439, logic in src/core/common/template.go:625-850). Status codes
/// are those of clientManager.EndRequestWithLog (src/core/common/client/client.go:1002-1040): an error is 400 when the
/// handler has no response object and 500 when it has one, so a missing template is a 500 on GET but a 400 on DELETE,
/// and "already exists" is a 400 (not the 409 the swagger promises).
/// </summary>
internal static partial class SecurityGroupApi
{
    [GeneratedRegex("(?i)[a-z]([-a-z0-9+]*[a-z0-9])?")]
    private static partial Regex CheckStringRule();

    public static RouteGroupBuilder MapSecurityGroupTemplates(this RouteGroupBuilder api)
    {
        api.MapPost("/ns/{nsId}/template/securityGroup", CreateAsync);
        api.MapGet("/ns/{nsId}/template/securityGroup", List);
        api.MapGet("/ns/{nsId}/template/securityGroup/{templateId}", Get);
        api.MapPut("/ns/{nsId}/template/securityGroup/{templateId}", UpdateAsync);
        api.MapDelete("/ns/{nsId}/template/securityGroup/{templateId}", Delete);
        api.MapGet("/ns/{nsId}/resources/securityGroup", ListGroups);
        api.MapDelete("/ns/{nsId}/resources/securityGroup/{securityGroupId}", DeleteGroup);
        return api;
    }

    /// <summary>
    /// ?option=id lists the ids (src/interface/rest/server/resource/common.go:192-203 @v0.13.0); the full listing is
    /// not emulated. A node group's SG outlives its Infra: DelInfra only drops the association (manageInfo.go:3280-3310).
    /// </summary>
    private static IResult ListGroups(string nsId, string? option, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        if (option != "id")
            return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, $"The sandbox implements option=id only for security groups (got '{option}').");
        List<string> ids;
        lock (e.State.Sync)
            ids = e.State.SecurityGroups.Groups.Keys.Where(k => k.Ns == nsId).Select(k => k.Id).Order(StringComparer.Ordinal).ToList();
        // ListResourceId starts from a nil slice (resource/common.go:1578): none is "output": null.
        return TumblebugEmulatorApi.Json(new IdList(ids.Count == 0 ? null! : ids));
    }

    /// <summary>
    /// DelResource (src/core/resource/common.go:476-525, rest resource/common.go:78-111 @v0.13.0): refused while a node
    /// still uses it, and every error is a 500 because the handler passes its response object along.
    /// </summary>
    private static IResult DeleteGroup(string nsId, string securityGroupId, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        if (CheckString(securityGroupId) is { } badName) return TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError, badName);
        lock (e.State.Sync)
        {
            if (!e.State.SecurityGroups.Groups.ContainsKey((nsId, securityGroupId)))
                return TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError, $"The securityGroup {securityGroupId} does not exist.");
            var users = e.State.Infras.Values
                .Where(i => i.Namespace == nsId)
                .SelectMany(i => i.Nodes.Where(n => $"{i.Id}-{n.NodeGroupId}" == securityGroupId && n.Status != NodeStatus.Terminated)
                    .Select(n => $"/ns/{nsId}/infra/{i.Id}/node/{n.Id}"))
                .ToList();
            if (users.Count > 0)
                return TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError,
                    $"cannot delete securityGroup '{securityGroupId}': still referenced by {users.Count} object(s): [{string.Join(' ', users)}]");
            e.State.SecurityGroups.Groups.Remove((nsId, securityGroupId));
        }
        e.State.NotifyChanged();
        return TumblebugEmulatorApi.Json(new SimpleMsg($"The securityGroup {securityGroupId} has been deleted"));
    }

    private static async Task<IResult> CreateAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        var (body, invalid) = await TumblebugEmulatorApi.ReadBodyAsync<SecurityGroupTemplateReq>(request);
        if (invalid is not null) return invalid;
        var name = body!.Name ?? "";
        if (CheckString(name) is { } badName) return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, badName);
        SecurityGroupTemplateInfo created;
        lock (e.State.Sync)
        {
            if (e.State.SecurityGroups.Templates.ContainsKey((nsId, name)))
                return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, $"securityGroup template '{name}' already exists in namespace '{nsId}'");
            var now = Rfc3339Now();
            created = new SecurityGroupTemplateInfo("securityGroup", name, name, body.Description ?? "", "user", now, now, body.SecurityGroupReq ?? new SecurityGroupReq());
            e.State.SecurityGroups.Templates[(nsId, name)] = created;
        }
        e.State.NotifyChanged();
        return TumblebugEmulatorApi.Json(created);
    }

    private static IResult List(string nsId, string? filterKeyword, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        var keyword = (filterKeyword ?? "").Trim();
        List<SecurityGroupTemplateInfo> found;
        lock (e.State.Sync)
            found = e.State.SecurityGroups.Templates.Where(t => t.Key.Ns == nsId).Select(t => t.Value)
                .Where(t => keyword.Length == 0 || t.Name.Contains(keyword, StringComparison.OrdinalIgnoreCase) || t.Description.Contains(keyword, StringComparison.OrdinalIgnoreCase))
                .OrderBy(t => t.Id, StringComparer.Ordinal)
                .ToList();
        return TumblebugEmulatorApi.Json(new SecurityGroupTemplateListResponse(found.Count == 0 ? null : found));
    }

    private static IResult Get(string nsId, string templateId, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        if (CheckString(templateId) is { } badName) return TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError, badName);
        lock (e.State.Sync)
            return e.State.SecurityGroups.Templates.TryGetValue((nsId, templateId), out var template)
                ? TumblebugEmulatorApi.Json(template)
                : TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError, NotFound(nsId, templateId));
    }

    private static async Task<IResult> UpdateAsync(string nsId, string templateId, HttpRequest request, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        var (body, invalid) = await TumblebugEmulatorApi.ReadBodyAsync<SecurityGroupTemplateReq>(request);
        if (invalid is not null) return invalid;
        SecurityGroupTemplateInfo updated;
        lock (e.State.Sync)
        {
            if (!e.State.SecurityGroups.Templates.TryGetValue((nsId, templateId), out var existing))
                return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, NotFound(nsId, templateId));
            if (!string.IsNullOrEmpty(body!.Name) && body.Name != templateId)
                return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest,
                    $"template name cannot be changed (name '{body.Name}' does not match template ID '{templateId}')");
            // Changing a template changes only the SGs made from it later (common.go:790-826 @v0.13.0).
            updated = existing with { Description = body.Description ?? "", UpdatedAt = Rfc3339Now(), SecurityGroupReq = body.SecurityGroupReq ?? new SecurityGroupReq() };
            e.State.SecurityGroups.Templates[(nsId, templateId)] = updated;
        }
        e.State.NotifyChanged();
        return TumblebugEmulatorApi.Json(updated);
    }

    private static IResult Delete(string nsId, string templateId, EmulatorServices e)
    {
        if (TumblebugEmulatorApi.CheckNamespace(nsId, e) is { } problem) return problem;
        if (CheckString(templateId) is { } badName) return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, badName);
        lock (e.State.Sync)
        {
            if (!e.State.SecurityGroups.Templates.Remove((nsId, templateId)))
                return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, NotFound(nsId, templateId));
        }
        e.State.NotifyChanged();
        return TumblebugEmulatorApi.Json(new SimpleMsg($"SecurityGroup template '{templateId}' has been deleted"));
    }

    private static string NotFound(string nsId, string templateId) => $"securityGroup template '{templateId}' not found in namespace '{nsId}'";

    /// <summary>common.CheckString (src/core/common/utility.go:207-223 @v0.13.0).</summary>
    internal static string? CheckString(string name)
    {
        if (name.Length == 0) return "CheckString - empty string";
        return CheckStringRule().Match(name) is { Success: true } match && match.Value == name
            ? null
            : $"{name}: The name must follow these rules: 1. The first character must be a letter (case-insensitive). 2. All following characters can be a dash, letter (case-insensitive), digit, or +. 3. The last character cannot be a dash.";
    }

    private static string Rfc3339Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture).Replace("+00:00", "Z");
}
