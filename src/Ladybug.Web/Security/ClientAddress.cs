namespace Ladybug.Web.Security;

/// <summary>The client's address as the throttles count it: the connection's, or the one a known proxy forwarded.</summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
