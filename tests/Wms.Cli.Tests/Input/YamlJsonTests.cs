using System.Text.Json.Nodes;
using Wms.Cli.Input;
using YamlDotNet.Core;

namespace Wms.Cli.Tests.Input;

/// <summary>YAML becomes the JSON it stands for: plain scalars by YAML 1.2's core schema, quoted ones as text.</summary>
public sealed class YamlJsonTests
{
    [Fact]
    public void PlainScalarsFollowTheCoreSchemaAndQuotedOnesStayText()
    {
        var json = YamlJson.Convert("""
            int: 42
            negative: -7
            big: 123456789012345678901234567890
            float: 1.5
            exponent: 2e3
            yes: true
            no: False
            none: ~
            empty:
            word: 512M
            version: 1.2.3
            quoted: "42"
            single: 'true'
            block: |
              two
              lines
            hex: 0x1F
            octal: 0o17
            explicit: !!str 7
            """);

        var expected = JsonNode.Parse("""
            {"int": 42, "negative": -7, "big": 123456789012345678901234567890, "float": 1.5, "exponent": 2000,
             "yes": true, "no": false, "none": null, "empty": null, "word": "512M", "version": "1.2.3",
             "quoted": "42", "single": "true", "block": "two\nlines\n", "hex": 31, "octal": 15, "explicit": "7"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json?.ToJsonString());
    }

    [Fact]
    public void ListsMappingsAndAliasesBecomeArraysObjectsAndCopies()
    {
        var json = YamlJson.Convert("""
            base: &queues [in, out]
            again: *queues
            nested: {a: [1, {b: null}]}
            """);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"base": ["in", "out"], "again": ["in", "out"], "nested": {"a": [1, {"b": null}]}}"""), json),
            json?.ToJsonString());
    }

    [Fact]
    public void AliasesThatExpandBeyondTheServicesBoundAreRefused()
    {
        // Each level doubles the one before: 2^25 values from a few lines.
        var lines = new List<string> { "a0: &a0 [x, x]" };
        for (var i = 1; i <= 25; i++)
        {
            lines.Add($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]");
        }
        var error = Assert.Throws<InvalidDataException>(() => YamlJson.Convert(string.Join('\n', lines)));
        Assert.Equal($"expands to more than {YamlJson.MaxValues} values", error.Message);
    }

    [Theory]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a: [1, 2\n")]
    public void InvalidYamlIsRefusedByItsParser(string text) =>
        Assert.ThrowsAny<YamlException>(() => YamlJson.Convert(text));

    [Theory]
    [InlineData("", "holds no YAML document")]
    [InlineData("a: 1\n---\nb: 2\n", "holds 2 YAML documents; a request is one")]
    [InlineData("a: .inf\n", "line 1: '.inf' is a number JSON cannot hold")]
    [InlineData("a: !!int x\n", "line 1: 'x' is not a !!int")]
    [InlineData("a: !custom x\n", "line 1: the tag !custom is not one a JSON request can hold")]
    [InlineData("? [a]\n: 1\n", "line 1: a key must be a plain text, not a list or a mapping")]
    public void WhatJsonCannotHoldIsRefusedWithWhereItIs(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => YamlJson.Convert(text)).Message);
}
