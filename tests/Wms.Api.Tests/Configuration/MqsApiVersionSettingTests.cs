using Microsoft.Extensions.Options;
using Wms.Api.Tests.Infrastructure;
using Wms.Grains.Mqs;

namespace Wms.Api.Tests.Configuration;

/// <summary>MQS_API_VERSION names the MQS spoken to: v1 unless set, v0 on request, and nothing else starts.</summary>
public sealed class MqsApiVersionSettingTests
{
    [Fact]
    public void UnsetItIsV1() =>
        Assert.Equal(MqsOptions.V1, ConfiguredSettings.Options<MqsOptions>().ApiVersion);

    [Theory]
    [InlineData("v0", MqsOptions.V0)]
    [InlineData(" V0 ", MqsOptions.V0)]
    [InlineData("v1", MqsOptions.V1)]
    [InlineData("V1", MqsOptions.V1)]
    public void EachGenerationIsReadInAnyCaseAndSpacing(string value, string expected)
    {
        var options = ConfiguredSettings.Options<MqsOptions>(("MQS_API_VERSION", value));

        Assert.Equal(expected, options.ApiVersion);
        Assert.Equal(expected == MqsOptions.V0, options.IsV0);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("1")]
    [InlineData("v1.1.1")]
    [InlineData("")]
    public void AnyOtherValueStopsTheStartNamingTheSetting(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ConfiguredSettings.ValidateAll(("MQS_API_VERSION", value)));

        Assert.Contains($"MQS_API_VERSION must be 'v1' or 'v0', not '{value.Trim().ToLowerInvariant()}'", e.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void TheSectionKeyIsHeldToTheSameRule()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            ConfiguredSettings.Options<MqsOptions>(("Mqs:ApiVersion", "v9")));

        Assert.Contains("MQS_API_VERSION must be 'v1' or 'v0', not 'v9'", e.Message, StringComparison.Ordinal);
    }
}
