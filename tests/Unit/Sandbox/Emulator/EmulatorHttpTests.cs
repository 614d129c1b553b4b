using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Sandbox;

namespace Ladybug.Tests.Unit.Sandbox.Emulator;

/// <summary>
/// A sandbox per test with a raw HTTP client on its Tumblebug, for the emulator's tests that speak Tumblebug's wire
/// directly, independent of the engine's client. Subclasses adjust the sandbox in <see cref="Configure"/>.
/// </summary>
public abstract class EmulatorHttpTests : IAsyncLifetime
{
    protected SandboxCloud Cloud { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;

    protected virtual void Configure(SandboxOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        Cloud = await TestSandbox.StartAsync(Configure);
        Http = new HttpClient { BaseAddress = new Uri(Cloud.TumblebugUrl.AbsoluteUri + "/") };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("default:default"u8.ToArray()));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Cloud.DisposeAsync();
    }

    protected async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
