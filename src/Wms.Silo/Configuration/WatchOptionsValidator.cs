using System.Globalization;
using Wms.GrainInterfaces.Watch;

namespace Wms.Silo.Configuration;

public sealed class WatchOptionsValidator(UpstreamValues upstream) : SettingsValidator<WatchOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Watch;

    protected override void Check(WatchOptions options, List<string> failures)
    {
        Require(failures, options.BufferedEvents >= 1, $"{Section}:{nameof(WatchOptions.BufferedEvents)}",
            options.BufferedEvents.ToString(CultureInfo.InvariantCulture));
        RequireNotNegative(failures, options.Grace, $"{Section}:{nameof(WatchOptions.Grace)}");
        RequirePositive(failures, options.RefreshPeriod, $"{Section}:{nameof(WatchOptions.RefreshPeriod)}");
        RequirePositive(failures, options.KeepAlive, $"{Section}:{nameof(WatchOptions.KeepAlive)}");
        Require(failures, options.ClientQueue >= 1, $"{Section}:{nameof(WatchOptions.ClientQueue)}",
            options.ClientQueue.ToString(CultureInfo.InvariantCulture));
    }

    private static void RequirePositive(List<string> failures, TimeSpan duration, string key) =>
        Require(failures, duration > TimeSpan.Zero, key, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
}
