using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;

namespace Ladybug.Web.Api;

/// <summary>Every answer of the MCKS API goes through here, so each is written with the same JSON settings.</summary>
internal static class McksResults
{
    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, McksJson.Options, statusCode: statusCode);

    public static IResult Status(int code, string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        Json(new ApiStatus { Code = code, Message = message, Errors = errors }, code);

    public static IResult NotFound(string message) => Status(StatusCodes.Status404NotFound, message);

    public static IResult Conflict(string message) => Status(StatusCodes.Status409Conflict, message);

    public static IResult BadRequest(string message) => Status(StatusCodes.Status400BadRequest, message);

    /// <summary>400 with the field errors keyed by MCKS paths; the message lists them too, for scripts that print only it.</summary>
    public static IResult Invalid(ValidationErrors mcksErrors) =>
        Status(StatusCodes.Status400BadRequest, $"The request is invalid: {mcksErrors}", mcksErrors.ByField);

    public static IResult ClusterNotFound(string ns, string cluster) =>
        NotFound($"Cluster '{cluster}' was not found in namespace '{ns}'.");

    /// <summary>202: the job is queued; <paramref name="location"/> is where to watch the result.</summary>
    public static IResult Accepted<T>(string location, T value) =>
        new WithLocation(Json(value, StatusCodes.Status202Accepted), location);

    /// <summary>
    /// The answer to a <c>?wait=true</c> request: <paramref name="succeeded"/> when its job succeeded, 500 with
    /// the job's error when it failed (as MCKS answered), <paramref name="pending"/> (a 202) when the wait timed out.
    /// </summary>
    public static IResult AfterWait(JobView? job, IResult succeeded, IResult pending, string failure) => job switch
    {
        { State: JobState.Succeeded } => succeeded,
        { IsFinished: true } => Status(StatusCodes.Status500InternalServerError, $"{failure}: {job.Error ?? job.State.ToString()}"),
        _ => pending,
    };

    /// <summary>Adds a Location header to a JSON result (TypedResults.Accepted would pick the app's JSON options, not MCKS's).</summary>
    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
