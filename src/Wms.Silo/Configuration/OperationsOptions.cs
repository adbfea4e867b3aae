namespace Wms.Silo.Configuration;

/// <summary>
/// What operators see of a silo: log format, metrics, the Orleans dashboard, API docs, the web view and shutdown.
/// </summary>
public sealed class OperationsOptions
{
    /// <summary><c>text</c> (one line per entry) or <c>json</c> (one JSON object per line).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Serves Prometheus metrics at <c>/metrics</c>; on unless turned off.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Serves the Orleans dashboard at <c>/dashboard</c>; off unless turned on.</summary>
    public bool Dashboard { get; set; }

    /// <summary>Serves the interactive API reference at <c>/docs</c>; on unless turned off.</summary>
    public bool ApiDocs { get; set; } = true;

    /// <summary>Serves the read-only web view of workflows at <c>/ui</c>; on unless turned off.</summary>
    public bool Ui { get; set; } = true;

    /// <summary>
    /// How long a silo told to stop keeps serving while <c>/readyz</c> answers 503, so that a load balancer stops
    /// sending it requests before it stops listening.
    /// </summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The most a stop may take in all, drain included; what is unfinished then is cut short.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool LogsJson => string.Equals(LogFormat, "json", StringComparison.Ordinal);
}
