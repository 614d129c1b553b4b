using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Ladybug.Sandbox.KubeApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Bench;

/// <summary>The watch bench's simulated clusters: their PKI, nodes and Kubernetes API servers.</summary>
internal static class WatchBenchClusters
{
    /// <summary>One CA, one serving certificate for 127.0.0.1 and one admin client certificate, shared by every simulated cluster.</summary>
    internal sealed class Pki
    {
        private readonly X509Certificate2 _ca;
        private readonly string _caPem;
        private readonly string _clientPem;
        private readonly string _clientKeyPem;

        public Pki()
        {
            using var caKey = RSA.Create(2048);
            var caRequest = new CertificateRequest("CN=kubernetes", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
            var from = DateTimeOffset.UtcNow.AddMinutes(-5);
            using var caWithKey = caRequest.CreateSelfSigned(from, from.AddDays(1));
            _ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
            _caPem = _ca.ExportCertificatePem();

            Serving = Issue(caWithKey, "CN=kube-apiserver", "1.3.6.1.5.5.7.3.1", from, san: true, out _);
            using var client = Issue(caWithKey, "CN=kubernetes-admin, O=system:masters", "1.3.6.1.5.5.7.3.2", from, san: false, out var clientKey);
            _clientPem = client.ExportCertificatePem();
            _clientKeyPem = clientKey;
        }

        public X509Certificate2 Serving { get; }

        public X509Certificate2 CaCopy() => X509CertificateLoader.LoadCertificate(_ca.RawData);

        public string Kubeconfig(string server)
        {
            static string B64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
            return $"""
                apiVersion: v1
                kind: Config
                clusters:
                - name: bench
                  cluster:
                    server: {server}
                    certificate-authority-data: {B64(_caPem)}
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: {B64(_clientPem)}
                    client-key-data: {B64(_clientKeyPem)}
                contexts:
                - name: bench
                  context:
                    cluster: bench
                    user: kubernetes-admin
                current-context: bench
                """;
        }

        private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string usage, DateTimeOffset from, bool san, out string keyPem)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
            if (san)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
            }
            using var issued = request.Create(ca, from, from.AddDays(1), RandomNumberGenerator.GetBytes(16));
            using var withKey = issued.CopyWithPrivateKey(key);
            keyPem = key.ExportRSAPrivateKeyPem();
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }

    internal sealed class SimNode(string name, bool controlPlane, string csp, string region)
    {
        public string Name { get; } = name;
        public bool ControlPlane { get; } = controlPlane;
        public string Csp { get; } = csp;
        public string Region { get; } = region;
        public bool Ready { get; set; } = true;
        public DateTimeOffset Since { get; set; } = DateTimeOffset.UtcNow;
        public bool LastReady { get; set; } = true;
    }

    /// <summary>One cluster's objects in a <see cref="ClusterApiStore"/>, served by a <see cref="KubeApiServer"/>.</summary>
    internal sealed class SimulatedCluster : IAsyncDisposable
    {
        private static readonly (string Csp, string Region)[] Places = [("aws", "ap-northeast-1"), ("gcp", "europe-west2"), ("azure", "koreacentral")];
        private readonly ClusterApiStore _store = new();
        private KubeApiServer? _server;

        private SimulatedCluster(string name, IReadOnlyList<SimNode> nodes)
        {
            Name = name;
            Nodes = nodes;
        }

        public string Name { get; }
        public IReadOnlyList<SimNode> Nodes { get; }
        public string Server { get; private set; } = "";

        public static async Task<SimulatedCluster> StartAsync(string name, int nodes, Pki pki)
        {
            var list = Enumerable.Range(0, nodes).Select(i =>
            {
                var (csp, region) = Places[i % Places.Length];
                return i < WatchBench.ControlPlanes ? new SimNode($"cp-{i + 1}", true, csp, region) : new SimNode($"w-{i - WatchBench.ControlPlanes + 1}", false, csp, region);
            }).ToList();
            var cluster = new SimulatedCluster(name, list);
            cluster.Publish();
            var port = FreePort();
            var api = new KubeApiEndpoints(cluster._store, () => "1.30.14", "127.0.0.1", TimeProvider.System);
            cluster._server = await KubeApiServer.StartAsync(new IPEndPoint(IPAddress.Loopback, port), pki.Serving, pki.CaCopy(), api, _ => true, () => 0,
                NullLoggerFactory.Instance, CancellationToken.None);
            cluster.Server = $"https://127.0.0.1:{port}";
            return cluster;
        }

        /// <summary>Makes the store hold the nodes' current state; a changed node becomes one MODIFIED event.</summary>
        public void Publish()
        {
            var objects = new List<ApiObject>();
            foreach (var node in Nodes)
            {
                if (node.Ready != node.LastReady)
                {
                    node.Since = DateTimeOffset.UtcNow;
                    node.LastReady = node.Ready;
                }
                objects.Add(new ApiObject(KubeObjects.Nodes, "", node.Name, NodeObject(node)));
                objects.Add(Pod(node, "kube-proxy-" + node.Name, "k8s-app", "kube-proxy"));
                objects.Add(Pod(node, "canal-" + node.Name, "k8s-app", "canal"));
                if (node.ControlPlane)
                    foreach (var component in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
                        objects.Add(Pod(node, $"{component}-{node.Name}", "component", component));
            }
            _store.Replace(objects);
        }

        private static JsonObject NodeObject(SimNode node) => new()
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = node.Name,
                ["uid"] = node.Name,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/hostname"] = node.Name,
                    ["topology.cloud-barista.github.io/csp"] = node.Csp,
                    ["topology.kubernetes.io/region"] = node.Region,
                },
            },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = node.Ready ? "True" : "False",
                    ["reason"] = node.Ready ? "KubeletReady" : "KubeletNotReady",
                    ["lastTransitionTime"] = node.Since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                }),
                ["allocatable"] = new JsonObject { ["cpu"] = "2", ["memory"] = "3900Mi", ["pods"] = "110" },
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.30.14", ["osImage"] = "Ubuntu 22.04.4 LTS", ["containerRuntimeVersion"] = "containerd://1.7.12",
                },
            },
        };

        private static ApiObject Pod(SimNode node, string name, string label, string value) => new(KubeObjects.Pods, "kube-system", name, new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = "kube-system", ["uid"] = name,
                ["labels"] = label == "component" ? new JsonObject { ["component"] = value, ["tier"] = "control-plane" } : new JsonObject { [label] = value },
            },
            ["spec"] = new JsonObject { ["nodeName"] = node.Name },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        });

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            _store.CloseWatches();
            if (_server is not null) await _server.DisposeAsync();
        }
    }
}
