using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox.Emulator;

/// <summary>
/// SecurityGroup templates and the node groups' security groups over raw HTTP, as Tumblebug v0.13 serves them
/// (docs/sandbox-fidelity/network.md): template CRUD with its odd status codes, sg-default when no template is named,
/// the node group's template winning over the Infra's, and an unknown template failing the create.
/// </summary>
public sealed class SecurityGroupEmulatorTests : EmulatorHttpTests
{
    /// <summary>Written the way init/templates/*.json are: lower-case keys, which Go's decoder matches to "Ports", "CIDR"…</summary>
    private static string Template(string name, params (string Ports, string Protocol)[] rules) => JsonSerializer.Serialize(new
    {
        name,
        description = $"rules of {name}",
        securityGroupReq = new { firewallRules = rules.Select(r => new { ports = r.Ports, protocol = r.Protocol, direction = "inbound", cidr = "0.0.0.0/0" }) },
    });

    private static string Infra(string name, string? infraTemplate, params (string Group, string? Template)[] groups) => JsonSerializer.Serialize(new
    {
        name,
        sgTemplateId = infraTemplate ?? "",
        nodeGroups = groups.Select(g => new
        {
            name = g.Group, nodeGroupSize = 1, specId = "aws+ap-northeast-1+t3.medium", imageId = "ami-0e07ba22543b43e47",
            connectionName = "aws-ap-northeast-1", sgTemplateId = g.Template ?? "",
        }),
    });

    private static string Message(JsonElement body) => body.GetProperty("message").GetString()!;

    [Fact]
    public async Task TemplatesAreCreatedReadListedAndDeletedWithTumblebugsShapesAndStatusCodes()
    {
        var empty = await SendAsync(HttpMethod.Get, "/ns/default/template/securityGroup");
        var created = await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("k8s-a", ("6443", "TCP"), ("", "ICMP")));
        var again = await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("k8s-a", ("22", "TCP")));
        var badName = await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("k8s_a", ("22", "TCP")));
        var read = await SendAsync(HttpMethod.Get, "/ns/default/template/securityGroup/k8s-a");
        var list = await SendAsync(HttpMethod.Get, "/ns/default/template/securityGroup?filterKeyword=K8S");
        var missing = await SendAsync(HttpMethod.Get, "/ns/default/template/securityGroup/nope");
        var deleted = await SendAsync(HttpMethod.Delete, "/ns/default/template/securityGroup/k8s-a");
        var deletedAgain = await SendAsync(HttpMethod.Delete, "/ns/default/template/securityGroup/k8s-a");

        // A namespace without templates lists Go's nil slice.
        Assert.Equal((HttpStatusCode.OK, JsonValueKind.Null), (empty.Status, empty.Body.GetProperty("templates").ValueKind));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(("securityGroup", "k8s-a", "k8s-a", "user"),
            (created.Body.GetProperty("resourceType").GetString(), created.Body.GetProperty("id").GetString(), created.Body.GetProperty("name").GetString(), created.Body.GetProperty("source").GetString()));
        var rule = created.Body.GetProperty("securityGroupReq").GetProperty("firewallRules")[0];
        Assert.Equal(("6443", "TCP", "inbound", "0.0.0.0/0"),
            (rule.GetProperty("Ports").GetString(), rule.GetProperty("Protocol").GetString(), rule.GetProperty("Direction").GetString(), rule.GetProperty("CIDR").GetString()));
        // "already exists" is a 400, not the 409 the swagger promises; a missing one is a 500 on GET and a 400 on DELETE.
        Assert.Equal((HttpStatusCode.BadRequest, "securityGroup template 'k8s-a' already exists in namespace 'default'"), (again.Status, Message(again.Body)));
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.StartsWith("k8s_a: The name must follow these rules", Message(badName.Body));
        Assert.Equal((HttpStatusCode.OK, 2), (read.Status, read.Body.GetProperty("securityGroupReq").GetProperty("firewallRules").GetArrayLength()));
        Assert.Equal(["k8s-a"], list.Body.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal((HttpStatusCode.InternalServerError, "securityGroup template 'nope' not found in namespace 'default'"), (missing.Status, Message(missing.Body)));
        Assert.Equal((HttpStatusCode.OK, "SecurityGroup template 'k8s-a' has been deleted"), (deleted.Status, Message(deleted.Body)));
        Assert.Equal((HttpStatusCode.BadRequest, "securityGroup template 'k8s-a' not found in namespace 'default'"), (deletedAgain.Status, Message(deletedAgain.Body)));
    }

    [Fact]
    public async Task WithoutATemplateEveryNodeGroupGetsSgDefaultWhichOpensOnlySsh()
    {
        var created = await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", WireSamples.Text("infra-dynamic-request.json"));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var machine = Assert.Single(Cloud.Machines, m => m.InfraId == "c1");
        Assert.Equal("c1-cp", machine.SecurityGroup);
        Assert.Equal(["22/tcp from 0.0.0.0/0"], machine.Inbound);
    }

    [Fact]
    public async Task ANodeGroupsTemplateOverridesTheInfrasAndTheOthersInheritIt()
    {
        await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("infra-wide", ("22", "TCP"), ("6443", "TCP")));
        await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("only-ssh-and-udp", ("22", "TCP"), ("8472", "UDP")));

        var created = await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", Infra("mixed", "infra-wide", ("cp", null), ("w1", "only-ssh-and-udp")));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var machines = Cloud.Machines.Where(m => m.InfraId == "mixed").ToDictionary(m => m.NodeId);
        Assert.Equal("mixed-cp", machines["cp-1"].SecurityGroup);
        Assert.Equal(["22/tcp from 0.0.0.0/0", "6443/tcp from 0.0.0.0/0"], machines["cp-1"].Inbound);
        Assert.Equal("mixed-w1", machines["w1-1"].SecurityGroup);
        Assert.Equal(["22/tcp from 0.0.0.0/0", "8472/udp from 0.0.0.0/0"], machines["w1-1"].Inbound);
    }

    [Fact]
    public async Task AnUnknownTemplateFailsTheCreateLikeTumblebug()
    {
        var infra = await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", Infra("lost", "no-such-template", ("cp", null)));
        await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", Infra("kept", null, ("cp", null)));
        var group = await SendAsync(HttpMethod.Post, "/ns/default/infra/kept/nodeGroupDynamic", JsonSerializer.Serialize(new
        {
            name = "w1", nodeGroupSize = 1, specId = "aws+ap-northeast-1+t3.medium", imageId = "ami-0e07ba22543b43e47", sgTemplateId = "no-such-template",
        }));

        // Every node group failed resource preparation: 400 with the timeline; the node group call answers 500.
        Assert.Equal(HttpStatusCode.BadRequest, infra.Status);
        Assert.StartsWith("Infra 'lost' creation failed - all NodeGroups failed resource preparation.", Message(infra.Body));
        Assert.Contains("failed to create default SecurityGroup for VM 'cp' in namespace 'default' using connection 'aws-ap-northeast-1': " +
            "SecurityGroup template 'no-such-template' not found in namespace 'default' or system namespace; load it before provisioning", Message(infra.Body));
        Assert.Equal(HttpStatusCode.InternalServerError, group.Status);
        Assert.StartsWith("failed to create default SecurityGroup for VM 'w1'", Message(group.Body));
        Assert.DoesNotContain(Cloud.Machines, m => m.InfraId == "lost" || m.NodeId == "w1-1");
    }

    [Fact]
    public async Task ANodeGroupsSecurityGroupOutlivesItsInfraAndIsReusedAsIsByTheNextInfraOfThatName()
    {
        await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("first", ("22", "TCP"), ("8472", "UDP")));
        await SendAsync(HttpMethod.Post, "/ns/default/template/securityGroup", Template("second", ("22", "TCP"), ("51820", "UDP")));
        await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", Infra("again", "first", ("cp", null)));

        var inUse = await SendAsync(HttpMethod.Delete, "/ns/default/resources/securityGroup/again-cp");
        await SendAsync(HttpMethod.Delete, "/ns/default/infra/again?option=terminate");
        var listed = await SendAsync(HttpMethod.Get, "/ns/default/resources/securityGroup?option=id");
        await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", Infra("again", "second", ("cp", null)));
        var reused = Assert.Single(Cloud.Machines, m => m.InfraId == "again").Inbound;
        await SendAsync(HttpMethod.Delete, "/ns/default/infra/again?option=terminate");
        var deleted = await SendAsync(HttpMethod.Delete, "/ns/default/resources/securityGroup/again-cp");
        var deletedAgain = await SendAsync(HttpMethod.Delete, "/ns/default/resources/securityGroup/again-cp");
        var none = await SendAsync(HttpMethod.Get, "/ns/default/resources/securityGroup?option=id");

        Assert.Equal(HttpStatusCode.InternalServerError, inUse.Status);
        Assert.Equal("cannot delete securityGroup 'again-cp': still referenced by 1 object(s): [/ns/default/infra/again/node/cp-1]", Message(inUse.Body));
        Assert.Equal(["again-cp"], listed.Body.GetProperty("output").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(["22/tcp from 0.0.0.0/0", "8472/udp from 0.0.0.0/0"], reused); // the old SG, not template "second"
        Assert.Equal((HttpStatusCode.OK, "The securityGroup again-cp has been deleted"), (deleted.Status, Message(deleted.Body)));
        Assert.Equal((HttpStatusCode.InternalServerError, "The securityGroup again-cp does not exist."), (deletedAgain.Status, Message(deletedAgain.Body)));
        Assert.Equal(JsonValueKind.Null, none.Body.GetProperty("output").ValueKind);
    }
}
