using System.Text.Json.Serialization;

namespace Ladybug.Cli.Logs;

// The payloads of /hubs/provisioning as docs/HUB-PROTOCOL.md defines them, seen from the client:
// only the fields the CLI uses. Enums arrive as strings; the converter accepts numbers as well.

public sealed record HubLogLine(long Sequence, DateTimeOffset Time, string? NodeName, string? Step, string? Stream, string Text);

public sealed record HubLogLines(Guid ClusterId, IReadOnlyList<HubLogLine> Lines);

public sealed record HubPhaseChanged(Guid ClusterId, string Phase, string? Reason, string? Message);

public sealed record HubJobChanged(Guid ClusterId, Guid JobId, string Kind, [property: JsonConverter(typeof(JsonStringEnumConverter<HubJobState>))] HubJobState State, string? CurrentStep, string? Error)
{
    public bool IsFinished => State is HubJobState.Succeeded or HubJobState.Failed or HubJobState.Cancelled;
}

public enum HubJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class HubNames
{
    public const string Path = "hubs/provisioning";
    public const string Subscribe = "Subscribe";
    public const string LogLines = "LogLines";
    public const string PhaseChanged = "PhaseChanged";
    public const string JobChanged = "JobChanged";
}
