using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wms.Api.Rendering;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Responses;

/// <summary>Builds answers from our documents through the one wire serialiser.</summary>
public static class WireResults
{
    public static IResult Of(TaskforceDocument taskforce, ApiGeneration generation) =>
        new RawJson(GenerationView.Render(generation, taskforce));

    /// <summary><c>{workflow, task_directives, taskforces}</c>, each shown as the generation shows it.</summary>
    public static IResult Of(WorkflowCreation creation, ApiGeneration generation)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("workflow");
            writer.WriteRawValue(GenerationView.Render(generation, creation.Workflow), skipInputValidation: true);
            writer.WriteStartArray("task_directives");
            foreach (var directive in creation.TaskDirectives)
            {
                writer.WriteRawValue(GenerationView.Render(generation, directive), skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("taskforces");
            foreach (var taskforce in creation.Taskforces)
            {
                writer.WriteRawValue(GenerationView.Render(generation, taskforce), skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new RawJson(buffer.WrittenSpan.ToArray());
    }

    public static IResult Of(PublicMqProfiles answer) => new RawJson(PublicMqProfilesJson.ToUtf8(answer));

    public static IResult Json(JsonNode node, int statusCode = StatusCodes.Status200OK)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            node.WriteTo(writer);
        }
        return new RawJson(buffer.WrittenSpan.ToArray(), statusCode);
    }

    public static IResult TaskforceUuid(string uuid) => Json(new JsonObject { ["taskforce_uuid"] = uuid });
}
