using Refit;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// The CB-Tumblebug v0.13 ("Infra/Node/NodeGroup") calls Ladybug makes, relative to the base URL that ends in
/// "/tumblebug". Only <see cref="TumblebugInfrastructure"/> uses it; an adapter for the older "MCI" names would get
/// its own interface beside this one.
/// </summary>
public interface ITumblebugApi
{
    /// <summary>200 when ready, 503 (same body) when not.</summary>
    [Get("/readyz")]
    Task<ReadyzResponse> GetReadyzAsync(CancellationToken cancellationToken);

    [Get("/ns/{nsId}")]
    Task<NsInfo> GetNamespaceAsync(string nsId, CancellationToken cancellationToken);

    [Post("/ns")]
    Task<NsInfo> CreateNamespaceAsync([Body] NsReq request, CancellationToken cancellationToken);

    [Get("/connConfig?filterVerified=true")]
    Task<ConnConfigList> ListConnectionsAsync(CancellationToken cancellationToken);

    /// <summary>There is no spec list GET in v0.13: filtering by range with only a connection name lists its specs.</summary>
    [Post("/ns/{nsId}/resources/filterSpecsByRange")]
    Task<FilterSpecsResponse> FilterSpecsByRangeAsync(string nsId, [Body] FilterSpecsByRangeRequest filter, CancellationToken cancellationToken);

    [Post("/ns/{nsId}/resources/searchImage")]
    Task<SearchImageResponse> SearchImageAsync(string nsId, [Body] SearchImageRequest request, CancellationToken cancellationToken);

    /// <summary>Synchronous: answers only when every node reached a final state. Never retried blindly.</summary>
    [Post("/ns/{nsId}/infraDynamic")]
    Task<InfraInfo> CreateInfraAsync(string nsId, [Header("X-Request-Id")] string requestId, [Body] InfraDynamicReq request, CancellationToken cancellationToken);

    /// <summary>Synchronous like <see cref="CreateInfraAsync"/>. Never retried blindly.</summary>
    [Post("/ns/{nsId}/infra/{infraId}/nodeGroupDynamic")]
    Task<InfraInfo> AddNodeGroupAsync(string nsId, string infraId, [Header("X-Request-Id")] string requestId, [Body] CreateNodeGroupDynamicReq request, CancellationToken cancellationToken);

    [Get("/ns/{nsId}/infra/{infraId}")]
    Task<InfraInfo> GetInfraAsync(string nsId, string infraId, CancellationToken cancellationToken);

    [Get("/ns/{nsId}/infra/{infraId}?option=status")]
    Task<InfraStatusResponse> GetInfraStatusAsync(string nsId, string infraId, CancellationToken cancellationToken);

    /// <summary>The reply uses PascalCase keys (see <see cref="InfraAccessInfo"/>).</summary>
    [Get("/ns/{nsId}/infra/{infraId}?option=accessinfo&accessInfoOption=showSshKey")]
    Task<InfraAccessInfo> GetInfraAccessInfoAsync(string nsId, string infraId, CancellationToken cancellationToken);

    /// <summary>What Tumblebug knows of a tracked call by its X-Request-Id, for an hour and until it restarts; 404 otherwise.</summary>
    [Get("/request/{reqId}")]
    Task<RequestDetails> GetRequestAsync(string reqId, CancellationToken cancellationToken);

    [Delete("/ns/{nsId}/infra/{infraId}/node/{nodeId}")]
    Task<SimpleMsg> DeleteNodeAsync(string nsId, string infraId, string nodeId, CancellationToken cancellationToken);

    /// <summary>400 "… already exists …" when the namespace has one of that name.</summary>
    [Post("/ns/{nsId}/template/securityGroup")]
    Task<SecurityGroupTemplateInfo> CreateSecurityGroupTemplateAsync(string nsId, [Body] SecurityGroupTemplateReq request, CancellationToken cancellationToken);

    /// <summary>A missing template is a 500 here (the handler has a response object), so ask only for one known to exist.</summary>
    [Get("/ns/{nsId}/template/securityGroup/{templateId}")]
    Task<SecurityGroupTemplateInfo> GetSecurityGroupTemplateAsync(string nsId, string templateId, CancellationToken cancellationToken);

    [Put("/ns/{nsId}/template/securityGroup/{templateId}")]
    Task<SecurityGroupTemplateInfo> UpdateSecurityGroupTemplateAsync(string nsId, string templateId, [Body] SecurityGroupTemplateReq request, CancellationToken cancellationToken);

    /// <summary>400 "… not found …" when there is none.</summary>
    [Delete("/ns/{nsId}/template/securityGroup/{templateId}")]
    Task<SimpleMsg> DeleteSecurityGroupTemplateAsync(string nsId, string templateId, CancellationToken cancellationToken);

    /// <summary>The ids only; "output" is null when the namespace has none.</summary>
    [Get("/ns/{nsId}/resources/securityGroup?option=id")]
    Task<IdList> ListSecurityGroupIdsAsync(string nsId, CancellationToken cancellationToken);

    /// <summary>500 "The securityGroup X does not exist." when there is none, 500 "cannot delete …" while a node uses it.</summary>
    [Delete("/ns/{nsId}/resources/securityGroup/{securityGroupId}")]
    Task<SimpleMsg> DeleteSecurityGroupAsync(string nsId, string securityGroupId, CancellationToken cancellationToken);

    /// <summary>Terminates every node, then deletes the records.</summary>
    [Delete("/ns/{nsId}/infra/{infraId}?option=terminate")]
    Task<IdList> DeleteInfraAsync(string nsId, string infraId, CancellationToken cancellationToken);
}
