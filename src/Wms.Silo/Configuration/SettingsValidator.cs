using System.Globalization;
using Microsoft.Extensions.Options;

namespace Wms.Silo.Configuration;

/// <summary>
/// Validates one options type: first the upstream values in its section that could not be read at all, then its own
/// rules on the bound values. Every failure names the setting by its upstream name, which is what operators set.
/// </summary>
public abstract class SettingsValidator<TOptions>(UpstreamValues upstream, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = upstream.RefusalsIn(section).ToList();
        Check(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Adds a refusal to <paramref name="failures"/> per rule <paramref name="options"/> breaks.</summary>
    protected abstract void Check(TOptions options, List<string> failures);

    /// <summary>
    /// Unless <paramref name="holds"/>, refuses <paramref name="shown"/> by the name of the setting that fills
    /// <paramref name="key"/>.
    /// </summary>
    protected static void Require(List<string> failures, bool holds, string key, string shown)
    {
        if (!holds)
        {
            failures.Add(UpstreamSettings.For(key).Refusal(shown));
        }
    }

    protected static void RequirePort(List<string> failures, int port, string key) =>
        Require(failures, port is >= 0 and <= 65535, key, port.ToString(CultureInfo.InvariantCulture));

    protected static void RequireNotNegative(List<string> failures, TimeSpan duration, string key) =>
        Require(failures, duration >= TimeSpan.Zero, key, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
}
