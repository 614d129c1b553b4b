using System.Diagnostics;
using Ladybug.Engine.Bootstrap;
using YamlDotNet.RepresentationModel;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// kubeadm-init.sh's etcd block, run by bash the way the script runs it: etcd listens on every address in the form the
/// cluster's kubeadm API reads (a map up to v1beta3, a list of name/value pairs from v1beta4).
/// </summary>
public sealed class EtcdExtraArgsScriptTests
{
    [Theory]
    [InlineData("1.18.20", "map")]
    [InlineData("1.23.17", "map")]
    [InlineData(null, "list")]
    public async Task EtcdListensOnEveryAddressInTheFormTheKubeadmApiReads(string? version, string form)
    {
        var cluster = BootstrapFixtures.Cluster(version ?? KubernetesVersionCatalog.DefaultVersion, Cni.Canal);
        var script = new BootstrapScriptRenderer().KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64));
        Assert.Equal(form, script.Argument("extra-args-form"));

        var yaml = await RenderEtcdBlockAsync(script);

        var extraArgs = (YamlNode)((YamlMappingNode)((YamlMappingNode)Parse(yaml)["etcd"])["local"])["extraArgs"];
        var args = form == "map"
            ? ((YamlMappingNode)extraArgs).Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString())
            : ((YamlSequenceNode)extraArgs).Children.Cast<YamlMappingNode>().ToDictionary(a => a["name"].ToString(), a => a["value"].ToString());
        Assert.Equal(new Dictionary<string, string>
        {
            ["listen-client-urls"] = "https://0.0.0.0:2379",
            ["listen-peer-urls"] = "https://0.0.0.0:2380",
        }, args);
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Runs the script's case block with its arguments, then prints the etcd section as the heredoc writes it.</summary>
    private static async Task<string> RenderEtcdBlockAsync(RenderedScript script)
    {
        var lines = script.Text.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("case \"$EXTRA_ARGS_FORM\" in", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, start, l => l == "esac");
        Assert.True(start >= 0 && end > start, "kubeadm-init.sh has its extra-args case block");
        var program = string.Join('\n',
        [
            "die() { echo \"$*\" >&2; exit 1; }",
            $"ETCD_LISTEN_CLIENT_URLS='{script.Argument("etcd-listen-client-urls")}'",
            $"ETCD_LISTEN_PEER_URLS='{script.Argument("etcd-listen-peer-urls")}'",
            $"EXTRA_ARGS_FORM='{script.Argument("extra-args-form")}'",
            .. lines[start..(end + 1)],
            "printf 'etcd:\\n  local:\\n%s\\n' \"$etcd_extra_args\"",
        ]);
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", program]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, await bash.StandardError.ReadToEndAsync());
        return output;
    }
}
