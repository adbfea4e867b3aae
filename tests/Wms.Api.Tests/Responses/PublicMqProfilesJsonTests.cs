using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Responses;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;

namespace Wms.Api.Tests.Responses;

/// <summary>The public-profile answer: read into records at the MQS's edge, written for users at the API's.</summary>
public sealed class PublicMqProfilesJsonTests
{
    [Fact]
    public void AProfileTheWmsGrantedIsWrittenInTheMqsShape()
    {
        var profile = new MqProfile
        {
            MqId = "a0123",
            Alias = "results",
            IsPublic = true,
            IsActivated = false,
        };

        var text = Encoding.UTF8.GetString(PublicMqProfilesJson.ToUtf8(
            new PublicMqProfiles([new MqsProfileDescription(profile, "WF-6566f2c0-0a1b2c3d", [])])));

        Assert.Equal(
            """{"mqprofiles":[{"mqid":"a0123","workflow_id":"WF-6566f2c0-0a1b2c3d","alias":"results","is_public":true,"""
            + "\"is_activated\":false,\"auth_token\":null,\"broker_type\":null,\"broker_address\":null}]}",
            text);
    }

    [Fact]
    public void FieldsTheWmsDoesNotReadPassThroughAsTheMqsSentThem()
    {
        const string answer = """
            {"mqprofiles": [{"mqid": "q1", "mqgroup_id": "g7", "workflow_id": "WF-6566f2c0-0a1b2c3d",
              "timestamp": 1701245632.50, "alias": "results", "is_public": true, "is_activated": true,
              "auth_token": "t\u00e9", "broker_type": "rabbitmq", "broker_address": "broker:5672",
              "extra": {"nested": [1, null, "x"]}}]}
            """;
        using var document = JsonDocument.Parse(answer);

        var read = MqsProfileJson.ReadPublicProfiles(document.RootElement);
        var written = Encoding.UTF8.GetString(PublicMqProfilesJson.ToUtf8(read));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(answer), JsonNode.Parse(written)), written);
        Assert.Equal(["mqgroup_id", "timestamp", "extra"], read.Profiles.Single().OtherFields.Select(f => f.Key));
        Assert.Contains("\"timestamp\":1701245632.50", written, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownWorkflowHasNoProfiles() =>
        Assert.Equal("""{"mqprofiles":[]}""", Encoding.UTF8.GetString(PublicMqProfilesJson.ToUtf8(PublicMqProfiles.None)));

    [Theory]
    [InlineData("""{"profiles": []}""")]
    [InlineData("""[]""")]
    [InlineData("""{"mqprofiles": [{"alias": "x"}]}""")]
    [InlineData("""{"mqprofiles": [{"mqid": "q1", "alias": "x", "is_public": "yes"}]}""")]
    [InlineData("""{"mqprofiles": [{"mqid": "q1", "alias": "x", "workflow_id": 7}]}""")]
    public void AnAnswerThatIsNotProfilesIsTheMqsFailing(string answer)
    {
        using var document = JsonDocument.Parse(answer);
        Assert.Throws<MqsException>(() => MqsProfileJson.ReadPublicProfiles(document.RootElement));
    }
}
