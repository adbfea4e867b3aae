namespace Wms.Domain.Rules;

/// <summary>
/// How long an idempotency key is remembered. Clients retry within minutes; a day leaves room for a client that
/// retries after an outage, and past it the key may name a new request.
/// </summary>
public static class IdempotencyRetention
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(24);

    public static bool IsExpired(double firstUsedTs, double now) => now - firstUsedTs >= Period.TotalSeconds;
}
