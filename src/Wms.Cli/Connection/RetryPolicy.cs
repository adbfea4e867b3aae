using System.Net;
using System.Net.Http.Headers;

namespace Wms.Cli.Connection;

/// <summary>
/// When to send a request again and how long to wait first. The service's own 503s carry a Retry-After, which is
/// waited for as asked; without one the wait doubles from <see cref="FirstBackOff"/>. Every wait stays under
/// <see cref="MaxWait"/>, so a script is never held for long by one answer.
/// </summary>
public sealed class RetryPolicy(int retries)
{
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>How many times a request is sent again after its first try.</summary>
    public int Retries { get; } = retries;

    /// <summary>
    /// Answers that may pass: a timeout, too many requests, and the 5xx family except those that say the service
    /// will never do it (not implemented, an HTTP version it does not speak).
    /// </summary>
    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests
        or >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented
            and not HttpStatusCode.HttpVersionNotSupported;

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first), at <paramref name="now"/>.</summary>
    public static TimeSpan Wait(int retry, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - now : null);
        var wait = asked is { } a && a > TimeSpan.Zero
            ? a
            : FirstBackOff * Math.Pow(2, Math.Min(retry - 1, 16));
        return wait > MaxWait ? MaxWait : wait;
    }
}
