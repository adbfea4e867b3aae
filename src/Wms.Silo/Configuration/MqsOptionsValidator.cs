using Wms.Grains.Mqs;

namespace Wms.Silo.Configuration;

public sealed class MqsOptionsValidator(UpstreamValues upstream) : SettingsValidator<MqsOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Mqs;

    protected override void Check(MqsOptions options, List<string> failures) =>
        RequireNotNegative(failures, options.RequestTimeout, $"{Section}:{nameof(MqsOptions.RequestTimeout)}");
}
