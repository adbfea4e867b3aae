using Wms.GrainInterfaces.Model;

namespace Wms.GrainInterfaces.State;

/// <summary>The embedded MQS's record of one workflow's queues.</summary>
[GenerateSerializer, Alias("Wms.EmbeddedMqsState")]
public sealed class EmbeddedMqsState
{
    [Id(0)] public List<MqProfile>? Profiles { get; set; }
}
