using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using k8s.Autorest;

namespace Ladybug.Engine.Watch;

/// <summary>A list or watch that could not be done, in words a person can act on.</summary>
internal static class ApiFailure
{
    public static string Describe(string server, Exception error, TimeSpan requestTimeout) =>
        $"API server at {server} unreachable: {What(error, requestTimeout)}";

    private static string What(Exception error, TimeSpan requestTimeout)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpOperationException http:
                    return $"answered {(int)http.Response.StatusCode} {http.Response.StatusCode}";
                case k8s.KubernetesException kube when kube.Status is { } status:
                    return $"answered {status.Code} {status.Reason}: {status.Message}";
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
                        SocketError.TimedOut => "connection timed out",
                        _ => socket.Message,
                    };
                case AuthenticationException tls:
                    return $"TLS handshake failed ({tls.Message})";
                case TimeoutException or TaskCanceledException:
                    return $"no answer within {requestTimeout.TotalSeconds:0.#} s";
                case HttpRequestException { InnerException: null } request:
                    return request.Message;
                case IOException { InnerException: null } io:
                    return $"connection lost ({io.Message})";
            }
        }
        return error.Message;
    }

    /// <summary>A watch whose resourceVersion the server has compacted away (410 Gone): list again.</summary>
    public static bool IsGone(Exception error) => error switch
    {
        k8s.KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => true,
        HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } => true,
        _ => false,
    };
}
