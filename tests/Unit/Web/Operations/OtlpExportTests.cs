using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Operations;

/// <summary>With OpenTelemetry's standard OTLP setting, the console sends its spans to the collector it names.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task WithAnOtlpEndpointAJobsSpansAreSentToTheCollector()
    {
        using var collector = new OtlpCollector();
        await using var console = new TestConsole(services => services.AddScriptedCloud(TimeSpan.FromMilliseconds(10), linesPerNode: 2), new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });

        var cluster = await console.Services.GetRequiredService<ClusterService>().CreateAsync(new ClusterSpec
        {
            Name = "exported",
            ControlPlane = new NodePoolSpec { Connection = "aws-ap-northeast-1", Count = 1, Spec = "medium-2c4g" },
            WorkerPools = [new NodePoolSpec { Connection = "gcp-europe-west2", Count = 1, Spec = "medium-2c4g" }],
        });

        // Span names travel as plain UTF-8 inside the protobuf body.
        await Eventually.TrueAsync(() => collector.Traces.Any(body => body.Contains("job Create") && body.Contains(cluster.Id.ToString())),
            "the job's span at the collector", TimeSpan.FromSeconds(60));
        Assert.Contains(collector.Traces, body => body.Contains("step create machines"));
    }

    /// <summary>Accepts OTLP/HTTP posts on a loopback port and keeps the trace bodies.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<string> _traces = new();
        private readonly Task _serving;

        public OtlpCollector()
        {
            Url = $"http://127.0.0.1:{TestSandbox.FreePort()}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = ServeAsync();
        }

        public string Url { get; }

        public IReadOnlyList<string> Traces => [.. _traces];

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                    _traces.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
