using System.Globalization;

namespace Wms.Silo.Configuration;

public sealed class RestOptionsValidator(UpstreamValues upstream) : SettingsValidator<RestOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Rest;

    protected override void Check(RestOptions options, List<string> failures)
    {
        RequirePort(failures, options.Port, $"{Section}:{nameof(RestOptions.Port)}");
        Require(failures, options.MaxRequestBytes >= 1024, $"{Section}:{nameof(RestOptions.MaxRequestBytes)}",
            options.MaxRequestBytes.ToString(CultureInfo.InvariantCulture));
    }
}
