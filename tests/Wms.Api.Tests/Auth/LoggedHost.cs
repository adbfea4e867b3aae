using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Wms.Api.Tests.Infrastructure;
using Wms.Silo;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// A WMS host, like <see cref="WmsServer"/>, whose every log line at Information and above is kept, so tests can
/// see what the service says at start and make sure secrets never reach the log.
/// </summary>
public sealed class LoggedHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoggedHost(WebApplication app, CapturedLogs logs, Uri baseAddress)
    {
        _app = app;
        Logs = logs;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public CapturedLogs Logs { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Builds the host with the test defaults plus <paramref name="configure"/>; starts it unless told not to.</summary>
    public static async Task<LoggedHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool start = true)
    {
        var settings = WmsServer.DefaultSettings();
        settings["Logging:LogLevel:Default"] = "Information";
        settings["Logging:LogLevel:Orleans"] = "Warning";
        configure?.Invoke(settings);
        var restPort = FreePorts.Next();
        settings["REST_HOST"] = "127.0.0.1";
        settings["REST_PORT"] = restPort.ToString(CultureInfo.InvariantCulture);
        settings["WMS_SILO_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        settings["WMS_GATEWAY_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var logs = new CapturedLogs();
        var app = await WmsHost.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(logs);
        });
        if (start)
        {
            await app.StartAsync();
        }
        return new LoggedHost(app, logs, new Uri($"http://127.0.0.1:{restPort}/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>Keeps every log line (category, level, text and any exception in full).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    /// <summary>Every line holding <paramref name="secret"/> anywhere, message or exception.</summary>
    public List<LogLine> Containing(string secret) =>
        Lines.Where(l => l.Text.Contains(secret, StringComparison.Ordinal)).ToList();

    public sealed record LogLine(string Category, LogLevel Level, string Message, string? Exception)
    {
        public string Text => Exception is null ? Message : $"{Message}\n{Exception}";

        public override string ToString() => $"{Level} {Category}: {Text}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception?.ToString()));
            }
        }
    }
}
