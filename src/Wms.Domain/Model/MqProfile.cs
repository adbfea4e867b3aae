using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>The MQS's description of one queue: its id, alias and, once activated, how to reach it.</summary>
[GenerateSerializer, Immutable, Alias("Wms.MqProfile")]
public sealed record MqProfile
{
    [Id(0), JsonPropertyName("mqid")] public required string MqId { get; init; }
    [Id(1), JsonPropertyName("alias")] public required string Alias { get; init; }
    [Id(2), JsonPropertyName("is_public")] public bool IsPublic { get; init; }
    [Id(3), JsonPropertyName("is_activated")] public bool IsActivated { get; init; }
    [Id(4), JsonPropertyName("auth_token")] public string? AuthToken { get; init; }
    [Id(5), JsonPropertyName("broker_type")] public string? BrokerType { get; init; }
    [Id(6), JsonPropertyName("broker_address")] public string? BrokerAddress { get; init; }
}
