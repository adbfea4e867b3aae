using System.Text.Json.Nodes;
using Wms.Domain.Model;

using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>Reads the MQS's <c>mqprofiles</c> answers, keeping only what the WMS uses.</summary>
public static class MqsProfileJson
{
    public static List<MqProfile> ReadProfiles(JsonNode? body)
    {
        if (body?["mqprofiles"] is not JsonArray array)
        {
            throw new MqsException("the MQS answer had no 'mqprofiles' list");
        }
        return array.Select(ReadProfile).ToList();
    }

    public static JsonObject Write(IEnumerable<MqProfile> profiles, string workflowId) => new()
    {
        ["mqprofiles"] = new JsonArray(profiles.Select(p => (JsonNode)new JsonObject
        {
            ["mqid"] = p.MqId,
            ["workflow_id"] = workflowId,
            ["alias"] = p.Alias,
            ["is_public"] = p.IsPublic,
            ["is_activated"] = p.IsActivated,
            ["auth_token"] = p.AuthToken,
            ["broker_type"] = p.BrokerType,
            ["broker_address"] = p.BrokerAddress,
        }).ToArray()),
    };

    private static MqProfile ReadProfile(JsonNode? node)
    {
        try
        {
            return new MqProfile
            {
                MqId = node!["mqid"]!.GetValue<string>(),
                Alias = node["alias"]!.GetValue<string>(),
                IsPublic = node["is_public"]?.GetValue<bool>() ?? false,
                IsActivated = node["is_activated"]?.GetValue<bool>() ?? false,
                AuthToken = node["auth_token"]?.GetValue<string>(),
                BrokerType = node["broker_type"]?.GetValue<string>(),
                BrokerAddress = node["broker_address"]?.GetValue<string>(),
            };
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new MqsException("the MQS answered a profile without a string 'mqid' and 'alias'", e);
        }
    }
}
