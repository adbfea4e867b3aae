using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Responses;

/// <summary>Builds answers from our documents through the one wire serialiser.</summary>
public static class WireResults
{
    public static IResult Of(TaskforceDocument taskforce) => new RawJson(WireJson.ToUtf8(taskforce));

    public static IResult Of(WorkflowCreation creation) =>
        new RawJson(JsonSerializer.SerializeToUtf8Bytes(creation, WireJson.Options.GetTypeInfo(typeof(WorkflowCreation))));

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
