using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Engine.Jobs;

public sealed class JobLogTests
{
    private static readonly Guid JobId = Guid.NewGuid();

    private static void AppendLines(IJobLog log, Guid clusterId, int count, int from = 1)
    {
        for (var i = from; i < from + count; i++)
            log.Append(clusterId, JobId, "w1-1", "prepare", LogStream.Stdout, $"line {i}");
    }

    [Fact]
    public async Task ThousandLinesAreStoredInFarFewerSavesThanLines()
    {
        var saves = new LogLineSaves();
        await using var engine = await EngineHost.StartAsync(saves.AddTo);
        var clusterId = Guid.NewGuid();

        AppendLines(engine.JobLog, clusterId, 1_000);
        await engine.JobLog.FlushAsync();

        var stored = await engine.JobLog.ReadAsync(clusterId, 0, 5_000);
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (long)i), stored.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => $"line {i}"), stored.Select(l => l.Text));
        Assert.InRange(saves.Count, 1, 100);
    }

    [Fact]
    public async Task StoredLinesArePagedBySequence()
    {
        await using var engine = await EngineHost.StartAsync();
        var clusterId = Guid.NewGuid();
        AppendLines(engine.JobLog, clusterId, 250);
        await engine.JobLog.FlushAsync();

        var first = await engine.JobLog.ReadAsync(clusterId, 0, 100);
        var second = await engine.JobLog.ReadAsync(clusterId, first[^1].Sequence, 100);
        var last = await engine.JobLog.ReadAsync(clusterId, second[^1].Sequence, 100);
        var beyond = await engine.JobLog.ReadAsync(clusterId, 250, 100);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), first.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(101, 100).Select(i => (long)i), second.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(201, 50).Select(i => (long)i), last.Select(l => l.Sequence));
        Assert.Empty(beyond);
        Assert.All(first, l => Assert.Equal(("w1-1", "prepare", LogStream.Stdout), (l.NodeName, l.Step, l.Stream)));
    }

    [Fact]
    public async Task SequencesAreGapFreePerClusterWhenClustersWriteAtOnce()
    {
        await using var engine = await EngineHost.StartAsync();
        var clusters = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(clusters.Select(id => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                AppendLines(engine.JobLog, id, 40, batch * 40 + 1);
                await Task.Yield();
            }
        })));
        await engine.JobLog.FlushAsync();

        foreach (var id in clusters)
        {
            var stored = await engine.JobLog.ReadAsync(id, 0, 1_000);
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), stored.Select(l => l.Sequence));
            Assert.Equal(Enumerable.Range(1, 200).Select(i => $"line {i}"), stored.Select(l => l.Text));
        }
    }

    [Fact]
    public async Task SequencesContinueAfterARestartAndLinesAppendedJustBeforeStopAreKept()
    {
        var clusterId = Guid.NewGuid();
        await using var first = await EngineHost.StartAsync();
        AppendLines(first.JobLog, clusterId, 10);
        // No flush: stopping must still store what was appended.

        await using var second = await first.RestartAsync();
        AppendLines(second.JobLog, clusterId, 5, from: 11);
        await second.JobLog.FlushAsync();

        var stored = await second.JobLog.ReadAsync(clusterId, 0, 100);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), stored.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"line {i}"), stored.Select(l => l.Text));
    }

    [Fact]
    public async Task StoppingWhileABatchIsBeingSavedLeavesNoGapInSequences()
    {
        var saves = new LogLineSaves { DelayBeforeSave = TimeSpan.FromMilliseconds(300) };
        var clusterId = Guid.NewGuid();
        await using var first = await EngineHost.StartAsync(saves.AddTo);
        AppendLines(first.JobLog, clusterId, 5);
        await Eventually.CompletesAsync(saves.FirstSaveStarted, "the first batch to start saving");

        await using var second = await first.RestartAsync();

        var stored = await second.JobLog.ReadAsync(clusterId, 0, 100);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], stored.Select(l => l.Sequence));
    }

    [Fact]
    public async Task PrivateKeyBlockIsRedactedWhileOtherStreamsInterleave()
    {
        await using var engine = await EngineHost.StartAsync();
        var clusterId = Guid.NewGuid();
        void Node(string node, string text) => engine.JobLog.Append(clusterId, JobId, node, "fetch key", LogStream.Stdout, text);

        Node("cp-1", "-----BEGIN OPENSSH PRIVATE KEY-----");
        Node("w1-1", "reading packages");
        Node("cp-1", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ");
        Node("w1-2", "reading packages");
        Node("cp-1", "-----END OPENSSH PRIVATE KEY-----");
        Node("cp-1", "key written");
        await engine.JobLog.FlushAsync();

        var stored = await engine.JobLog.ReadAsync(clusterId, 0, 100);
        Assert.Equal(
            [("cp-1", LogRedactor.Mask), ("w1-1", "reading packages"), ("cp-1", LogRedactor.Mask), ("w1-2", "reading packages"), ("cp-1", LogRedactor.Mask), ("cp-1", "key written")],
            stored.Select(l => (l.NodeName, l.Text)));
    }

    [Fact]
    public async Task FlushAfterTheLogHasStoppedDoesNotHang()
    {
        await using var engine = await EngineHost.StartAsync();
        await engine.StopAsync();

        await Eventually.CompletesAsync(engine.JobLog.FlushAsync(), "FlushAsync on a stopped log");
    }

    [Fact]
    public async Task SecretsAreRedactedBeforeTheyAreStoredOrPublished()
    {
        const string token = "abcdef.0123456789abcdef";
        var hash = new string('e', 64);
        var certificateKey = "4f" + new string('9', 62);
        const string keyBody = "MIIEowIBAAKCAQEAsecretkeymaterial";
        await using var engine = await EngineHost.StartAsync();
        var clusterId = Guid.NewGuid();
        var published = new ConcurrentQueue<LogLineView>();
        using var subscription = engine.Events.Subscribe(clusterId, e =>
        {
            if (e is LogLinesAppended appended)
                foreach (var line in appended.Lines) published.Enqueue(line);
            return ValueTask.CompletedTask;
        });
        string[] lines =
        [
            $"kubeadm join ladybug-api.cluster.internal:6443 --token {token} \\",
            $"\t--discovery-token-ca-cert-hash sha256:{hash} \\",
            $"\t--control-plane --certificate-key {certificateKey}",
            "[upload-certs] Using certificate key:",
            certificateKey,
            "-----BEGIN RSA PRIVATE KEY-----",
            keyBody,
            "-----END RSA PRIVATE KEY-----",
            "[init] Using Kubernetes version: v1.23.13",
        ];

        foreach (var line in lines)
            engine.JobLog.Append(clusterId, JobId, "cp-1", "init", LogStream.Stdout, line);
        await engine.JobLog.FlushAsync();

        var stored = (await engine.JobLog.ReadAsync(clusterId, 0, 100)).Select(l => l.Text).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(published.Count == lines.Length), "the lines to be published");
        foreach (var texts in new[] { stored, published.Select(l => l.Text).ToList() })
        {
            var all = string.Join('\n', texts);
            foreach (var secret in new[] { token, hash, certificateKey, keyBody })
                Assert.DoesNotContain(secret, all);
            Assert.Equal("kubeadm join ladybug-api.cluster.internal:6443 --token [REDACTED] \\", texts[0]);
            Assert.Equal("\t--discovery-token-ca-cert-hash sha256:[REDACTED] \\", texts[1]);
            Assert.Equal("\t--control-plane --certificate-key [REDACTED]", texts[2]);
            Assert.Equal(LogRedactor.Mask, texts[4]);
            Assert.Equal([LogRedactor.Mask, LogRedactor.Mask, LogRedactor.Mask], texts[5..8]);
            Assert.Equal("[init] Using Kubernetes version: v1.23.13", texts[^1]);
        }
    }

    [Fact]
    public async Task LinesArePublishedOnlyAfterTheyAreStored()
    {
        // Slow saves widen the window in which a too-early publish would be seen.
        var saves = new LogLineSaves { DelayBeforeSave = TimeSpan.FromMilliseconds(100) };
        await using var engine = await EngineHost.StartAsync(saves.AddTo);
        var clusterId = Guid.NewGuid();
        var missing = new ConcurrentQueue<long>();
        var seen = 0;
        using var subscription = engine.Events.Subscribe(clusterId, async e =>
        {
            if (e is not LogLinesAppended appended) return;
            await using var db = await engine.OpenDbAsync();
            var sequences = appended.Lines.Select(l => l.Sequence).ToList();
            var stored = await db.LogLines.Where(l => l.ClusterId == clusterId && sequences.Contains(l.Sequence)).Select(l => l.Sequence).ToListAsync();
            foreach (var sequence in sequences.Except(stored)) missing.Enqueue(sequence);
            Interlocked.Add(ref seen, sequences.Count);
        });

        for (var i = 0; i < 3; i++)
        {
            AppendLines(engine.JobLog, clusterId, 20, i * 20 + 1);
            await engine.JobLog.FlushAsync();
        }

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref seen) == 60), "every line to be published");
        Assert.Empty(missing);
    }
}
