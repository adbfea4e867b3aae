using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Responses;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;

namespace Wms.Api.Tests.Responses;

/// <summary>One profile written as the MQS's own object: its nine keys in its order, then whatever else it sent.</summary>
public sealed class MqProfileJsonTests
{
    [Fact]
    public void AProfileTheMqsSentWholeIsWrittenBackAsItWasSent()
    {
        const string sent = """
            {"mqid": "q1", "workflow_id": "WF-6566f2c0-0a1b2c3d", "timestamp": 1701245632.50, "alias": "results",
             "is_public": true, "is_activated": true, "auth_token": "t\u00e9", "broker_type": "rabbitmq",
             "broker_address": "broker:5672", "extra": {"nested": [1, null, "x"]}}
            """;
        using var document = JsonDocument.Parse(sent);

        var written = Encoding.UTF8.GetString(MqProfileJson.ToUtf8(MqsProfileJson.ReadDescription(document.RootElement)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sent), JsonNode.Parse(written)), written);
        Assert.Equal(
            ["mqid", "workflow_id", "timestamp", "alias", "is_public", "is_activated", "auth_token", "broker_type",
             "broker_address", "extra"],
            JsonNode.Parse(written)!.AsObject().Select(p => p.Key));
        Assert.Contains("\"timestamp\":1701245632.50", written, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysSentInAnotherOrderAreWrittenInTheMqsOrder()
    {
        const string sent = """
            {"broker_address": null, "alias": "a", "timestamp": 5, "mqgroup_id": "g", "mqid": "q", "is_public": false,
             "is_activated": false, "workflow_id": "WF-1", "auth_token": null, "broker_type": null}
            """;
        using var document = JsonDocument.Parse(sent);

        var written = Encoding.UTF8.GetString(MqProfileJson.ToUtf8(MqsProfileJson.ReadDescription(document.RootElement)));

        Assert.Equal(
            """{"mqid":"q","workflow_id":"WF-1","timestamp":5,"alias":"a","is_public":false,"is_activated":false,"""
            + "\"auth_token\":null,\"broker_type\":null,\"broker_address\":null,\"mqgroup_id\":\"g\"}",
            written);
    }

    [Fact]
    public void WhatTheDescriptionLacksIsWrittenAsNullSoEveryKeyIsThere()
    {
        var profile = new MqProfile
        {
            MqId = "a0123",
            Alias = "in",
            IsActivated = true,
            AuthToken = "tok",
            BrokerType = "rabbitmq",
            BrokerAddress = "localhost",
        };

        var written = Encoding.UTF8.GetString(MqProfileJson.ToUtf8(new MqsProfileDescription(profile, null, [])));

        Assert.Equal(
            """{"mqid":"a0123","workflow_id":null,"timestamp":null,"alias":"in","is_public":false,"is_activated":true,"""
            + "\"auth_token\":\"tok\",\"broker_type\":\"rabbitmq\",\"broker_address\":\"localhost\"}",
            written);
    }

    [Fact]
    public void ItWritesInPlaceAsAListItem()
    {
        var profile = new MqProfile { MqId = "q", Alias = "a" };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            MqProfileJson.Write(writer, new MqsProfileDescription(profile, "WF-1", []));
            MqProfileJson.Write(writer, new MqsProfileDescription(profile, "WF-1", []));
            writer.WriteEndArray();
        }

        var list = JsonNode.Parse(buffer.WrittenSpan)!.AsArray();
        Assert.Equal(2, list.Count);
        Assert.All(list, item => Assert.Equal(9, item!.AsObject().Count));
    }
}
