using System.Globalization;
using Wms.GrainInterfaces.Configuration;

namespace Wms.Silo.Configuration;

public sealed class WmsOptionsValidator(UpstreamValues upstream) : SettingsValidator<WmsOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Wms;

    protected override void Check(WmsOptions options, List<string> failures)
    {
        RequireNotNegative(failures, options.MqActivatorDelay, $"{Section}:{nameof(options.MqActivatorDelay)}");
        RequireNotNegative(failures, options.MqActivatorRetryWait, $"{Section}:{nameof(options.MqActivatorRetryWait)}");
        RequireNotNegative(failures, options.LaunchControlDelay, $"{Section}:{nameof(options.LaunchControlDelay)}");
        RequireNotNegative(failures, options.LoopReminderPeriod, $"{Section}:{nameof(options.LoopReminderPeriod)}");
        Require(failures, options.TmsActionRetries >= 0, $"{Section}:{nameof(WmsOptions.TmsActionRetries)}",
            options.TmsActionRetries.ToString(CultureInfo.InvariantCulture));
    }
}
