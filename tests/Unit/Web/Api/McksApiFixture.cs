using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ladybug.Api.Contracts;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>The test classes that only read or add clusters share one console; each test keeps to its own namespace.</summary>
[CollectionDefinition(Name)]
public sealed class McksApiCollection : ICollectionFixture<McksApiFixture>
{
    public const string Name = "MCKS API on one console";
}

/// <summary>A console for API tests; tests keep apart by using their own namespace.</summary>
public sealed class McksApiFixture : IDisposable
{
    public McksApiFactory Factory { get; } = new McksApiFactory().Start();

    public IServiceProvider Services => Factory.Services;

    public HttpClient Admin { get; }

    public McksApiFixture() => Admin = Factory.CreateAdminClient();

    public static string NewNamespace() => $"ns-{Guid.NewGuid():N}"[..20];

    public void Dispose()
    {
        Admin.Dispose();
        Factory.Dispose();
    }
}

public static class McksResponses
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, McksJson.Options)!;
    }

    /// <summary>An MCKS Status whose code equals the HTTP status.</summary>
    public static async Task<ApiStatus> ReadStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var status = await response.ReadAsync<ApiStatus>(expected);
        Assert.Equal("Status", status.Kind);
        Assert.Equal((int)expected, status.Code);
        Assert.False(string.IsNullOrWhiteSpace(status.Message));
        return status;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body) =>
        client.PostAsJsonAsync(path, body, McksJson.Options);
}
