namespace Wms.Grains.Mqs;

/// <summary>Where the MQS is and how to talk to it. No address means the embedded MQS.</summary>
public sealed class MqsOptions
{
    /// <summary>The MQS of today (v1.x): <c>/v1/mqs</c> routes, repeatable reservations, 24-hour tokens.</summary>
    public const string V1 = "v1";

    /// <summary>The MQS of the v0.1.17 era: <c>/v0/mqs</c> routes, one reservation per workflow.</summary>
    public const string V0 = "v0";

    public string? Address { get; set; }
    public string? TokenUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Which generation of the MQS API is spoken, <see cref="V1"/> or <see cref="V0"/>; the embedded MQS behaves as
    /// that generation does.
    /// </summary>
    public string ApiVersion { get; set; } = V1;

    /// <summary>One attempt's limit; the activation loop retries later, so this stays short.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra attempts for a request that may safely be repeated.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>The broker the embedded MQS hands out.</summary>
    public string EmbeddedBrokerType { get; set; } = "rabbitmq";

    public string EmbeddedBrokerAddress { get; set; } = "localhost";

    /// <summary>
    /// The live profiles the TMS is given are renewed once their tokens have less than this left: a pilot may wait
    /// in the batch queue a while before it first uses its token.
    /// </summary>
    public TimeSpan ProfileRenewalMargin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many workflows' live profiles a silo keeps at most; the least recently asked go first.</summary>
    public int ProfileCacheCapacity { get; set; } = 10_000;

    /// <summary>
    /// The whole of one fetch of live profiles, retries included: the TMS waits on it, so it is kept shorter than
    /// the activation loop's.
    /// </summary>
    public TimeSpan ProfileFetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a fetch of live profiles fails, polls for that workflow are answered "not now" for this long before the
    /// MQS is asked again, so an MQS that is down or hangs is not asked at the TMS's poll rate.
    /// </summary>
    public TimeSpan ProfileFailureHold { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Address);

    /// <summary>True when the MQS spoken to (or the embedded one) is of the v0 era.</summary>
    public bool IsV0 => ApiVersion == V0;
}
