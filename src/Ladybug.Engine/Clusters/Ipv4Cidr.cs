using System.Text.RegularExpressions;

namespace Ladybug.Engine.Clusters;

public readonly partial record struct Ipv4Cidr(uint Network, int Prefix)
{
    public uint Mask => Prefix == 0 ? 0u : uint.MaxValue << (32 - Prefix);
    public uint Last => Network | ~Mask;

    public bool Overlaps(Ipv4Cidr other) => Network <= other.Last && other.Network <= Last;

    public override string ToString() => $"{ToAddress(Network)}/{Prefix}";

    public static string ToAddress(uint value) =>
        $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";

    // Four decimal octets without leading zeros and a decimal prefix, as Kubernetes (Go's net.ParseCIDR) reads them.
    // IPAddress.TryParse is not used: it reads "010.1.1.1" as octal (8.1.1.1) and accepts hex and short forms.
    [GeneratedRegex(@"^(?<o1>0|[1-9][0-9]{0,2})\.(?<o2>0|[1-9][0-9]{0,2})\.(?<o3>0|[1-9][0-9]{0,2})\.(?<o4>0|[1-9][0-9]{0,2})/(?<prefix>0|[1-9][0-9]?)$")]
    private static partial Regex CidrPattern();

    /// <summary>Parses "a.b.c.d/n". <paramref name="hostBitsSet"/> is true when the address is not the network address.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out bool hostBitsSet)
    {
        cidr = default;
        hostBitsSet = false;
        var match = CidrPattern().Match((text ?? "").Trim());
        if (!match.Success)
            return false;
        var prefix = int.Parse(match.Groups["prefix"].ValueSpan);
        if (prefix > 32)
            return false;
        uint value = 0;
        foreach (var group in new[] { "o1", "o2", "o3", "o4" })
        {
            var octet = int.Parse(match.Groups[group].ValueSpan);
            if (octet > 255)
                return false;
            value = value << 8 | (uint)octet;
        }
        var candidate = new Ipv4Cidr(0, prefix);
        hostBitsSet = (value & ~candidate.Mask) != 0;
        cidr = candidate with { Network = value & candidate.Mask };
        return true;
    }
}
