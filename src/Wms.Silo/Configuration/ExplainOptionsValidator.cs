using System.Globalization;
using Wms.Api.Configuration;

namespace Wms.Silo.Configuration;

public sealed class ExplainOptionsValidator(UpstreamValues upstream) : SettingsValidator<ExplainOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Explain;

    protected override void Check(ExplainOptions options, List<string> failures)
    {
        Require(failures, options.TmsSilentAfter > TimeSpan.Zero, $"{Section}:{nameof(ExplainOptions.TmsSilentAfter)}",
            options.TmsSilentAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        // Another silo sees a poll only once it is written: written less often than the threshold, a TMS polling
        // through that silo would look down from here.
        Require(failures, options.PollFlushInterval > TimeSpan.Zero && options.PollFlushInterval < options.TmsSilentAfter,
            $"{Section}:{nameof(ExplainOptions.PollFlushInterval)}",
            options.PollFlushInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture));
    }
}
