using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// One control plane's kube-apiserver as the console reaches it: HTTPS on the VM's public address and port 6443 with
/// a serving certificate from the cluster CA, asking for (not demanding) a client certificate like kube-apiserver
/// (its TLS config uses tls.RequestClientCert and verifies in the x509 authenticator: k8s.io/apiserver
/// pkg/server/secure_serving.go). A certificate that does not verify gets 401; none at all is system:anonymous
/// (kubeadm leaves --anonymous-auth at its default, true, and kube-apiserver falls back to anonymous only when no
/// authenticator failed: kubernetes pkg/kubeapiserver/authenticator/config.go union.NewFailOnError).
/// A connection its security group drops is held unanswered until the client gives up, as a dropped SYN would be.
/// A connection made before the VM powered off goes silent, a watch included, and stays so after it boots again: a
/// powered-off host sends nothing (no FIN, no RST), and a rebooted one has forgotten the connection, so a client that
/// only reads, as a watch does, waits until its own timeout (TCP: RFC 9293 3.10.7.1, state is lost with the host).
/// </summary>
internal sealed class KubeApiServer : IAsyncDisposable
{
    private const string BootKey = "ladybug.boot";

    private readonly WebApplication _app;

    private KubeApiServer(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public static async Task<KubeApiServer> StartAsync(IPEndPoint endpoint, X509Certificate2 serving, X509Certificate2 ca, KubeApiEndpoints api,
        Func<IPAddress, bool> admits, Func<int?> runningBoot, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(KubeApiServer).Assembly.GetName().Name });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen =>
        {
            listen.Use(next => async connection =>
            {
                if (connection.RemoteEndPoint is IPEndPoint remote && !admits(remote.Address))
                {
                    await DropAsync(connection);
                    return;
                }
                connection.Items[BootKey] = runningBoot();
                await next(connection);
            });
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serving,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                // Verified per request against the cluster CA, so a wrong certificate gets kube-apiserver's 401, not a TLS alert.
                ClientCertificateValidation = (_, _, _) => true,
            });
        }));
        var app = builder.Build();
        app.Run(async http =>
        {
            var bootAtConnect = http.Features.Get<IConnectionItemsFeature>()?.Items[BootKey] as int?;
            bool Alive() => runningBoot() is { } boot && boot == bootAtConnect;
            if (!Alive())
            {
                await SilenceAsync(http.RequestAborted);
                return;
            }
            var client = http.Connection.ClientCertificate;
            if (client is not null)
            {
                if (ApiServerCertificates.Authenticate(client, ca) is not { } identity)
                {
                    // k8s.io/apiserver pkg/endpoints/filters/authentication.go: a failed authentication is a 401 Status "Unauthorized".
                    await KubeApiEndpoints.StatusAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized");
                    return;
                }
                // The admin certificates kubeadm issues: O=system:masters, or from v1.29 on O=kubeadm:cluster-admins, which
                // kubeadm binds to cluster-admin (kubernetes cmd/kubeadm/app/constants/constants.go ClusterAdminsGroupAndClusterRoleBinding).
                if (!identity.Groups.Any(g => g is "system:masters" or "kubeadm:cluster-admins"))
                {
                    await KubeApiEndpoints.StatusAsync(http, StatusCodes.Status403Forbidden, "Forbidden", $"forbidden: User \"{identity.User}\" cannot get path \"{http.Request.Path}\"");
                    return;
                }
                await api.HandleAsync(http, identity.User, authenticated: true, Alive);
                return;
            }
            await api.HandleAsync(http, "system:anonymous", authenticated: false, Alive);
        });
        await app.StartAsync(cancellationToken);
        return new KubeApiServer(app, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }

    /// <summary>Sends nothing more until the client gives up, as a host that powered off.</summary>
    internal static async Task SilenceAsync(CancellationToken clientGone)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, clientGone);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads and discards until the client hangs up: nothing ever answers, as behind a dropping firewall.</summary>
    private static async Task DropAsync(ConnectionContext connection)
    {
        try
        {
            while (true)
            {
                var read = await connection.Transport.Input.ReadAsync(connection.ConnectionClosed);
                connection.Transport.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionResetException or IOException)
        {
        }
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
