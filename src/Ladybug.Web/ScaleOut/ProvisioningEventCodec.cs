using System.Collections.Frozen;
using System.Text.Json;
using Ladybug.Engine.Events;

namespace Ladybug.Web.ScaleOut;

/// <summary>
/// One provisioning event as a Redis message: which replica published it, its record name, and the record as JSON.
/// Every replica runs the same build, so the record names and shapes are the same on both ends.
/// </summary>
internal static class ProvisioningEventCodec
{
    private static readonly FrozenDictionary<string, Type> Types = new[]
    {
        typeof(LogLinesAppended), typeof(StepChanged), typeof(NodeChanged), typeof(ClusterHealthChanged),
        typeof(PhaseChanged), typeof(JobChanged), typeof(CertificatesChecked),
    }.ToFrozenDictionary(t => t.Name);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Envelope(string Origin, string Type, JsonElement Event);

    public static string Encode(string origin, ProvisioningEvent e)
    {
        var type = e.GetType();
        if (!Types.ContainsKey(type.Name))
            throw new ArgumentException($"Provisioning event {type.Name} has no Redis encoding; add it to {nameof(ProvisioningEventCodec)}.", nameof(e));
        return JsonSerializer.Serialize(new Envelope(origin, type.Name, JsonSerializer.SerializeToElement(e, type, Json)), Json);
    }

    /// <summary>Null for a message this build does not know (a newer replica during a rolling upgrade): it is display only, the store has it.</summary>
    public static (string Origin, ProvisioningEvent Event)? Decode(string message)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(message, Json);
        if (envelope is null || !Types.TryGetValue(envelope.Type, out var type)) return null;
        return envelope.Event.Deserialize(type, Json) is ProvisioningEvent e ? (envelope.Origin, e) : null;
    }
}
