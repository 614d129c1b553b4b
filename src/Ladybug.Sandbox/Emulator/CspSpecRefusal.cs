using Ladybug.Sandbox.Catalog;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// A node whose spec its connection's region does not sell, which Tumblebug lets through to the CSP: a node group's
/// connectionName overrides the spec's own connection without a spec check against it (cb-tumblebug
/// src/core/infra/provisioning.go:3876-3895 @v0.13.0), the up-front check asks about the spec's own connection
/// (provisioning.go:3574-3616), and CreateNode sends the spec's CSP name to CB-Spider on the overriding connection
/// (provisioning.go:4694-4706). The CSP's refusal comes back through CB-Spider and marks the node Failed with the error
/// as its systemMessage (provisioning.go:4802-4843; the "(from …)" suffix is client.go:610-612). CB-Spider's own wrapping
/// is not mirrored here, so the message is the CSP's error as public reports quote it, where one was found.
/// </summary>
internal static class CspSpecRefusal
{
    /// <summary>Null when the node's region sells its spec.</summary>
    public static string? For(CloudCatalog catalog, NodeRecord node)
    {
        var name = node.Spec.CspSpecName;
        if (catalog.SpecsOf(node.ConnectionName).Any(s => s.CspSpecName.Equals(name, StringComparison.OrdinalIgnoreCase))) return null;
        var zone = node.Region.AssignedZone;
        return node.Region.Provider switch
        {
            // RunInstances' answer for a type the region does not sell (github.com/hashicorp/packer/issues/11303: t2.micro in me-south-1).
            "aws" => $"Unsupported: The requested configuration is currently not supported. Please check the documentation for supported configurations. (instance type {name} in {node.Region.Region})",
            // github.com/GoogleCloudPlatform/bank-of-anthos/issues/1234: n1-standard-1 in europe-west8-a.
            "gcp" => $"Invalid value for field 'resource.machineType': 'zones/{zone}/machineTypes/{name}'. Machine type with name '{name}' does not exist in zone '{zone}'.",
            // Azure's error code, which Tumblebug itself recognises (provisioning.go:63-87 @v0.13.0); the sentence is the sandbox's.
            "azure" => $"SkuNotAvailable: the size {name} is not available in location '{node.Region.Region}'.",
            _ => $"The CSP refused the VM: {node.Region.Provider} does not sell {name} in {node.Region.Region}.",
        };
    }
}
