
namespace Wms.Grains.Mqs;

/// <summary>Where the MQS is and how to talk to it. No address means the embedded MQS.</summary>
public sealed class MqsOptions
{
    public string? Address { get; set; }
    public string? TokenUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>One attempt's limit; the activation loop retries later, so this stays short.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra attempts for a request that may safely be repeated.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>The broker the embedded MQS hands out.</summary>
    public string EmbeddedBrokerType { get; set; } = "rabbitmq";

    public string EmbeddedBrokerAddress { get; set; } = "localhost";

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Address);
}
