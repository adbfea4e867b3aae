using System.Globalization;

namespace Wms.Silo.Configuration;

public sealed class StatusHistoryOptionsValidator(UpstreamValues upstream)
    : SettingsValidator<StatusHistoryOptions>(upstream, Section)
{
    private const string Section = SettingsSections.StatusHistory;

    protected override void Check(StatusHistoryOptions options, List<string> failures)
    {
        RequireNotNegative(failures, options.RecentAge, $"{Section}:{nameof(StatusHistoryOptions.RecentAge)}");
        Require(failures, options.Interval > TimeSpan.Zero, $"{Section}:{nameof(StatusHistoryOptions.Interval)}",
            options.Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        // The first entry and at least one change; the recent entries must fit under the cap beside the first.
        Require(failures, options.MaxEntries >= 2, $"{Section}:{nameof(StatusHistoryOptions.MaxEntries)}",
            options.MaxEntries.ToString(CultureInfo.InvariantCulture));
        Require(failures, options.RecentEntries >= 0 && options.RecentEntries < options.MaxEntries,
            $"{Section}:{nameof(StatusHistoryOptions.RecentEntries)}",
            options.RecentEntries.ToString(CultureInfo.InvariantCulture));
    }
}
