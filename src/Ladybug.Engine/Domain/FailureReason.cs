namespace Ladybug.Engine.Domain;

/// <summary>
/// Reason codes stored on a failed cluster. cb-mcks's names are kept where they fit so scripts
/// that grep for them keep working; its typo SetupBoostrapFailedReason is corrected.
/// </summary>
public static class FailureReason
{
    public const string GetInfraFailed = "GetMCISFailedReason";
    public const string AlreadyExistInfra = "AlreadyExistMCISFailedReason";
    public const string InvalidResources = "InvalidMCIRReason";
    public const string CreateInfraFailed = "CreateMCISFailedReason";
    public const string GetControlPlaneConnectionInfoFailed = "GetControlPlaneConnectionInfoFailedReason";
    public const string GetWorkerConnectionInfoFailed = "GetWorkerConnectionInfoFailedReason";
    /// <summary>Only on clusters stored before the NLB mode was refused at the door (docs/sandbox-fidelity/nlb.md).</summary>
    public const string CreateNlbFailed = "CreateNLBFailedReason";
    public const string AddNodeEntityFailed = "AddNodeEntityFailedReason";
    public const string SetupBootstrapFailed = "SetupBootstrapFailedReason";
    public const string SetupHaproxyFailed = "SetupHaproxyFailedReason";
    public const string InitControlPlaneFailed = "InitControlPlaneFailedReason";
    public const string SetupNetworkCniFailed = "SetupNetworkCNIFailedReason";
    public const string JoinControlPlaneFailed = "JoinControlPlaneFailedReason";
    public const string JoinWorkerFailed = "JoinWorkerFailedReason";
    public const string LabelNodesFailed = "LabelNodesFailedReason";
    public const string NodesNotReady = "NodesNotReadyReason";
    public const string FetchKubeconfigFailed = "FetchKubeconfigFailedReason";
    public const string RemoveNodeFailed = "RemoveNodeFailedReason";
    public const string DeleteClusterFailed = "DeleteClusterFailedReason";
    public const string RenewCertificatesFailed = "RenewCertificatesFailedReason";
    /// <summary>The console stopped while a step that is not safe to repeat was running.</summary>
    public const string Interrupted = "Interrupted";
    public const string Cancelled = "Cancelled";
    public const string InternalError = "InternalErrorReason";
}
