using System.Net.Http.Headers;
using System.Text;

namespace Ladybug.Tests.Support;

/// <summary>
/// The requests cb-mcks's docs/test cluster and node scripts send (v0.7.0 under /mcks, v0.7.2 under /ladybug), as they
/// reach the server once the shell has expanded the here-documents: same paths, headers and bodies, broken JSON and
/// "defalut" included. Only the base URL, the credentials and the connection names (config-* there, the sandbox's
/// {csp}-{region} here) differ. Read from cb-mcks docs/test/*.sh with git show at tags v0.7.0 and v0.7.2.
/// </summary>
public static class McksScriptRequests
{
    /// <summary>Every script sends <c>-H "Content-Type: application/json"</c> (c_CT in docs/test/conf.env), with or without a body.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? body = null) => new(method, path)
    {
        Content = new ByteArrayContent(body is null ? [] : Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
    };

    /// <summary>
    /// v0.7.0 docs/test/cluster-create.sh: no comma after "cluster.local", and trailing commas after "loadbalancer"
    /// and the control plane's rootDisk; "defalut" for the root disks. The comma is missing on line 12.
    /// </summary>
    public static string ClusterCreateV070(string name) => $$"""
        {
        	"name": "{{name}}",
        	"label": "",
        	"description": "",
        	"config": {
        		"installMonAgent": "",
        		"kubernetes": {
        			"networkCni": "canal",
        			"podCidr": "10.244.0.0/16",
        			"serviceCidr": "10.96.0.0/12",
        			"serviceDnsDomain": "cluster.local"
        			"loadbalancer": "",
        		}
        	},
        	"controlPlane": [
        		{
        			"connection": "azure-koreacentral",
        			"count": 3,
        			"spec": "Standard_B2s",
        			"rootDisk": {
        				"type": "defalut",
        				"size": "defalut"
        			},
        		}
        	],
        	"worker": [
        		{
        			"connection": "ibm-jp-tok",
        			"count": 1,
        			"spec": "bx2-2x8",
        			"rootDisk": {
        				"type": "defalut",
        				"size": "defalut"
        			}
        		}
        	]
        }
        """;

    public const int V070MissingCommaLine = 12;

    /// <summary>v0.7.2 docs/test/cluster-create.sh: the comma is fixed and serviceType added; the rootDisk trailing comma and "defalut" remain.</summary>
    public static string ClusterCreateV072(string name, string serviceType) => $$"""
        {
        	"name": "{{name}}",
        	"label": "",
        	"description": "",
        	"serviceType": "{{serviceType}}",
        	"config": {
        		"installMonAgent": "",
        		"kubernetes": {
        			"networkCni": "canal",
        			"podCidr": "10.244.0.0/16",
        			"serviceCidr": "10.96.0.0/12",
        			"serviceDnsDomain": "cluster.local",
        			"loadbalancer": ""
        		}
        	},
        	"controlPlane": [
        		{
        			"connection": "azure-koreacentral",
        			"count": 3,
        			"spec": "Standard_B2s",
        			"rootDisk": {
        				"type": "defalut",
        				"size": "defalut"
        			},
        		}
        	],
        	"worker": [
        		{
        			"connection": "ibm-jp-tok",
        			"count": 1,
        			"spec": "bx2-2x8",
        			"rootDisk": {
        				"type": "defalut",
        				"size": "defalut"
        			}
        		}
        	]
        }
        """;

    /// <summary>v0.7.2 docs/test/cluster-create-aws.sh: flannel and a cloud IAM role for the cloud controller manager.</summary>
    public static string ClusterCreateAwsV072(string name, string serviceType) => $$"""
        {
        	"name": "{{name}}",
        	"label": "",
        	"description": "",
        	"serviceType": "{{serviceType}}",
        	"config": {
        		"installMonAgent": "",
        		"kubernetes": {
        			"version": "1.23.14",
        			"etcd": "local",
        			"loadbalancer": "haproxy",
        			"networkCni": "flannel",
        			"podCidr": "10.244.0.0/16",
        			"serviceCidr": "10.96.0.0/12",
        			"serviceDnsDomain": "cluster.local"
        		}
        	},
        	"controlPlane": [
        		{
        			"connection": "aws-ap-northeast-2",
        			"count": 1,
        			"spec": "t2.medium",
        			"rootDisk": {
        				"type": "",
        				"size": ""
        			},
        			"role": "k8s-control-plane-role-for-ccm"
        		}
        	],
        	"worker": [
        		{
        			"connection": "aws-ap-northeast-2",
        			"count": 1,
        			"spec": "t2.medium",
        			"rootDisk": {
        				"type": "",
        				"size": ""
        			},
        			"role": "k8s-worker-role-for-ccm"
        		}
        	]
        }
        """;

    /// <summary>v0.7.0 docs/test/node-add.sh: one t2.medium in AWS Tokyo, "defalut" root disk.</summary>
    public const string NodeAddV070 = """
        {
        	"worker": [
        		{
        			"connection": "aws-ap-northeast-1",
        			"count": 1,
        			"spec": "t2.medium",
        			"rootDisk": {
        				"type": "defalut",
        				"size": "defalut"
        			}
        		}
        	]
        }
        """;

    /// <summary>v0.7.2 docs/test/node-add-ibm.sh (v0.7.2 has no generic node-add.sh): one bx2-2x8, empty root disk.</summary>
    public const string NodeAddIbmV072 = """
        {
        	"worker": [
        		{
        			"connection": "ibm-jp-tok",
        			"count": 1,
        			"spec": "bx2-2x8",
        			"rootDisk": {
        				"type": "",
        				"size": ""
        			}
        		}
        	]
        }
        """;

    /// <summary>The smallest edit that makes a broken body mean what its author meant: the missing comma, and "default".</summary>
    public static string Repaired(string body) => body
        .Replace("\"cluster.local\"\n", "\"cluster.local\",\n", StringComparison.Ordinal)
        .Replace("\"defalut\"", "\"default\"", StringComparison.Ordinal);
}
