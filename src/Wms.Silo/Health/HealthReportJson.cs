using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Wms.Silo.Health;

/// <summary>
/// The body of <c>/healthz</c> and <c>/readyz</c>: the overall status and, by name, each check's status, description,
/// duration and data, so that whoever reads a probe's answer sees which check failed and why.
/// </summary>
/// <example><code>
/// {"status": "Unhealthy", "duration_ms": 2.1, "checks": {
///   "silo": {"status": "Unhealthy", "description": "this silo is shutting down", "duration_ms": 0.1,
///            "data": {"membership": "Active", "active_silos": 2}}}}
/// </code></example>
public static class HealthReportJson
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("duration_ms", Milliseconds(report.TotalDuration));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description ?? entry.Exception?.Message);
            json.WriteNumber("duration_ms", Milliseconds(entry.Duration));
            if (entry.Data.Count > 0)
            {
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    WriteValue(json, key, value);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 3);

    private static void WriteValue(Utf8JsonWriter json, string key, object value)
    {
        switch (value)
        {
            case int n:
                json.WriteNumber(key, n);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
