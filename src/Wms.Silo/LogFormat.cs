using Microsoft.Extensions.Logging.Console;
using Wms.Silo.Configuration;

namespace Wms.Silo;

/// <summary>
/// How log entries are written: one line each, so that a line count is an entry count and a log collector splits
/// nothing; as plain text for people (UTC time, level, category, message) or, with <c>WMS_LOG_FORMAT=json</c>, as
/// one JSON object per line, the framework's own JSON formatter, for collectors that parse fields.
/// </summary>
public static class LogFormat
{
    /// <summary>Sets the console formatter on <paramref name="logging"/>; the levels stay the configuration's.</summary>
    public static ILoggingBuilder UseWmsConsole(this ILoggingBuilder logging, OperationsOptions operations)
    {
        if (operations.LogsJson)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        return logging;
    }

    /// <summary>A logger for the moments before the host exists (waiting for the database, migrating).</summary>
    public static ILoggerFactory StartupLoggers(IConfiguration configuration, OperationsOptions operations) =>
        LoggerFactory.Create(l => l.AddConfiguration(configuration.GetSection("Logging")).UseWmsConsole(operations));
}
