namespace Ladybug.Web.Api;

/// <summary>Section "Ladybug:Api": how the MCKS-compatible REST API behaves.</summary>
public sealed class ApiOptions
{
    public const string Section = "Ladybug:Api";

    /// <summary>
    /// The longest a <c>?wait=true</c> request is held open. After it the answer is 202 with the
    /// current state, and the job keeps running.
    /// </summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// An extra root for the API besides /mcks and /ladybug, like cb-mcks's BASE_URL (e.g. "/cb-mcks"); empty for none.
    /// </summary>
    public string BaseUrl { get; set; } = "";
}
