using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>A workflow as users see it on the wire.</summary>
[GenerateSerializer, Immutable, Alias("Wms.WorkflowDocument")]
public sealed record WorkflowDocument
{
    [Id(0), JsonPropertyName("workflow_id")] public required string WorkflowId { get; init; }
    [Id(1), JsonPropertyName("timestamp")] public required double Timestamp { get; init; }
    [Id(2), JsonPropertyName("priority")] public required int Priority { get; init; }
    [Id(3), JsonPropertyName("mq_activated_ts")] public double? MqActivatedTs { get; init; }

    /// <summary>When the next MQS attempt is due; absent from the wire while no retry is pending.</summary>
    [Id(4), JsonPropertyName("_mq_activation_retry_at_ts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MqActivationRetryAtTs { get; init; }

    [Id(5), JsonPropertyName("deactivated")] public string? Deactivated { get; init; }
    [Id(6), JsonPropertyName("deactivated_ts")] public double? DeactivatedTs { get; init; }
}
