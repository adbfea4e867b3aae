using System.Text.Json;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>Reads the MQS's <c>mqprofiles</c> answers into records: the edge where the MQS's JSON ends.</summary>
public static class MqsProfileJson
{
    private const string MqId = "mqid";
    private const string WorkflowId = "workflow_id";
    private const string Alias = "alias";
    private const string IsPublic = "is_public";
    private const string IsActivated = "is_activated";
    private const string AuthToken = "auth_token";
    private const string BrokerType = "broker_type";
    private const string BrokerAddress = "broker_address";

    /// <summary>The names read into a <see cref="MqsProfileDescription"/>'s typed fields; any other passes through.</summary>
    private static readonly HashSet<string> ReadNames =
        [MqId, WorkflowId, Alias, IsPublic, IsActivated, AuthToken, BrokerType, BrokerAddress];

    /// <summary>A reservation's or an activation's profiles, keeping only what the WMS uses.</summary>
    public static List<MqProfile> ReadProfiles(JsonElement? body) => [.. ProfileList(body).Select(ReadProfile)];

    /// <summary>The public-profile answer, each profile with the fields the WMS does not read kept as sent.</summary>
    public static PublicMqProfiles ReadPublicProfiles(JsonElement? body) => new(ReadDescriptions(body));

    /// <summary>
    /// A reservation's or an activation's profiles whole: the fields the WMS reads, and the others kept as sent.
    /// </summary>
    public static List<MqsProfileDescription> ReadDescriptions(JsonElement? body) =>
        [.. ProfileList(body).Select(ReadDescription)];

    /// <summary>One profile object, as the MQS's profile read answers it, whole.</summary>
    public static MqsProfileDescription ReadDescription(JsonElement profile)
    {
        var known = ReadProfile(profile);
        var workflowId = Text(profile, WorkflowId);
        var others = profile.EnumerateObject()
            .Where(field => !ReadNames.Contains(field.Name))
            .Select(field => KeyValuePair.Create(field.Name, field.Value))
            .ToList();
        return new MqsProfileDescription(known, workflowId, others);
    }

    private static JsonElement.ArrayEnumerator ProfileList(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty("mqprofiles", out var list) &&
        list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : throw new MqsException("the MQS answer had no 'mqprofiles' list");

    private static MqProfile ReadProfile(JsonElement profile)
    {
        if (profile.ValueKind != JsonValueKind.Object ||
            !profile.TryGetProperty(MqId, out var mqid) || mqid.ValueKind != JsonValueKind.String ||
            !profile.TryGetProperty(Alias, out var alias) || alias.ValueKind != JsonValueKind.String)
        {
            throw new MqsException("the MQS answered a profile without a string 'mqid' and 'alias'");
        }
        return new MqProfile
        {
            MqId = mqid.GetString()!,
            Alias = alias.GetString()!,
            IsPublic = Flag(profile, IsPublic),
            IsActivated = Flag(profile, IsActivated),
            AuthToken = Text(profile, AuthToken),
            BrokerType = Text(profile, BrokerType),
            BrokerAddress = Text(profile, BrokerAddress),
        };
    }

    /// <summary>A missing or null flag is false.</summary>
    private static bool Flag(JsonElement profile, string name) =>
        profile.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw Malformed(name, "true or false"),
        } : false;

    /// <summary>A missing text is null.</summary>
    private static string? Text(JsonElement profile, string name) =>
        profile.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw Malformed(name, "a string or null"),
        } : null;

    private static MqsException Malformed(string name, string expected) =>
        new($"the MQS answered a profile whose '{name}' is not {expected}");
}
