namespace Wms.Silo.Configuration;

public sealed class OperationsOptionsValidator(UpstreamValues upstream)
    : SettingsValidator<OperationsOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Operations;

    protected override void Check(OperationsOptions options, List<string> failures)
    {
        Require(failures, options.LogFormat is "text" or "json", $"{Section}:{nameof(OperationsOptions.LogFormat)}",
            options.LogFormat);
        RequireNotNegative(failures, options.ShutdownDrain, $"{Section}:{nameof(OperationsOptions.ShutdownDrain)}");
        // The drain is part of the stop, so it must leave time for the rest of it.
        Require(failures, options.ShutdownTimeout > options.ShutdownDrain,
            $"{Section}:{nameof(OperationsOptions.ShutdownTimeout)}",
            options.ShutdownTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
