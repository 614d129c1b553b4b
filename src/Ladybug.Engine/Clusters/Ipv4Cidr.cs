using System.Net;
using System.Net.Sockets;

namespace Ladybug.Engine.Clusters;

public readonly record struct Ipv4Cidr(uint Network, int Prefix)
{
    public uint Mask => Prefix == 0 ? 0u : uint.MaxValue << (32 - Prefix);
    public uint Last => Network | ~Mask;

    public bool Overlaps(Ipv4Cidr other) => Network <= other.Last && other.Network <= Last;

    public override string ToString() => $"{ToAddress(Network)}/{Prefix}";

    public static string ToAddress(uint value) =>
        $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";

    /// <summary>Parses "a.b.c.d/n". <paramref name="hostBitsSet"/> is true when the address is not the network address.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out bool hostBitsSet)
    {
        cidr = default;
        hostBitsSet = false;
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[1], out var prefix) || prefix is < 0 or > 32)
            return false;
        if (parts[0].Count(c => c == '.') != 3 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
            return false;
        var bytes = ip.GetAddressBytes();
        var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        var candidate = new Ipv4Cidr(0, prefix);
        hostBitsSet = (value & ~candidate.Mask) != 0;
        cidr = candidate with { Network = value & candidate.Mask };
        return true;
    }
}
