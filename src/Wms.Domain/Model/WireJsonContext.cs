using System.Text.Json.Serialization;
using Wms.Domain.Commands;

namespace Wms.Domain.Model;

/// <summary>The one JSON shape of our objects, shared by responses and the query index.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(WorkflowDocument))]
[JsonSerializable(typeof(TaskDirectiveDocument))]
[JsonSerializable(typeof(TaskforceDocument))]
[JsonSerializable(typeof(MqProfile))]
[JsonSerializable(typeof(List<MqProfile>))]
[JsonSerializable(typeof(WorkflowCreation))]
public sealed partial class WireJsonContext : JsonSerializerContext
{
}
