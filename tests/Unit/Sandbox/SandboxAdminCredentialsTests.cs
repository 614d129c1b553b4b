using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Ladybug.Sandbox;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>The sandbox's admin API changes faults and powers VMs: anyone on the host could, until it asked for the emulator's credentials.</summary>
public sealed class SandboxAdminCredentialsTests
{
    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "sandbox/faults" },
        { "PUT", "sandbox/faults" },
        { "GET", "sandbox/requests" },
        { "DELETE", "sandbox/requests" },
        { "GET", "sandbox/machines" },
        { "POST", "sandbox/machines/c1/cp-1/stop" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task WithoutTheEmulatorsCredentialsEveryAdminRouteIs401(string method, string path)
    {
        await using var cloud = await TestSandbox.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = cloud.Address };
        using var wrong = new HttpClient { BaseAddress = cloud.Address };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cloud.User}:guess")));

        var noCredentials = await anonymous.SendAsync(Request(method, path));
        var wrongPassword = await wrong.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, noCredentials.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal("Basic", noCredentials.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AnAnonymousPutChangesNoFault()
    {
        await using var cloud = await TestSandbox.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = cloud.Address };

        await anonymous.PutAsJsonAsync("sandbox/faults", new SandboxFaults { FailCreateOnConnections = ["aws-ap-northeast-1"] });

        Assert.Empty(cloud.Control.Faults.FailCreateOnConnections);
    }

    [Fact]
    public async Task TheEmulatorsCredentialsOpenIt()
    {
        await using var cloud = await TestSandbox.StartAsync();
        using var admin = TestSandbox.AdminClient(cloud);

        var machines = await admin.GetFromJsonAsync<List<SandboxMachineInfo>>("sandbox/machines");

        Assert.NotNull(machines);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "PUT" ? JsonContent.Create(new SandboxFaults()) : null,
    };
}
