namespace Ladybug.Engine.Domain;

/// <summary>What an add-nodes or remove-node job was asked to do, stored as the job's JSON payload.</summary>
public sealed record AddNodesPayload(IReadOnlyList<Guid> PoolIds);

public sealed record RemoveNodePayload(string NodeName);
