using Wms.Grains.Mqs;

namespace Wms.Silo.Configuration;

public sealed class MqsOptionsValidator(UpstreamValues upstream) : SettingsValidator<MqsOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Mqs;

    protected override void Check(MqsOptions options, List<string> failures)
    {
        RequireNotNegative(failures, options.RequestTimeout, $"{Section}:{nameof(MqsOptions.RequestTimeout)}");
        // Another generation's MQS would be spoken to wrongly on every call: better not to start.
        Require(failures, options.ApiVersion is MqsOptions.V1 or MqsOptions.V0,
            $"{Section}:{nameof(MqsOptions.ApiVersion)}", options.ApiVersion);
    }
}
