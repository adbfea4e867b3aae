using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;

namespace Wms.Grains.Tests.Mqs;

/// <summary>The MQS client and the profile source as the silo builds them, put together by hand for unit tests.</summary>
public static class MqsSeam
{
    /// <summary>An HTTP MQS client for the MQS at <paramref name="address"/>, without a token.</summary>
    public static HttpMqsClient Http(Uri address, string version, TimeSpan? requestTimeout = null) =>
        Http(new MqsOptions
        {
            Address = address.ToString(),
            ApiVersion = version,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
        });

    public static HttpMqsClient Http(MqsOptions options)
    {
        var wrapped = Options.Create(options);
        var tokens = new MqsTokenSource(new PlainClients(), wrapped, TimeProvider.System, NullLogger<MqsTokenSource>.Instance);
        return new HttpMqsClient(new HttpClient(), tokens, wrapped);
    }

    /// <summary>A profile source over <paramref name="mqs"/>, logging into <paramref name="log"/>.</summary>
    public static MqProfileSource Source(IMqsClient mqs, MqsOptions options, TimeProvider time, CapturedLogger<MqProfileSource> log) =>
        new(new ServiceCollection().AddSingleton(mqs).BuildServiceProvider(), Options.Create(options), time, log);

    private sealed class PlainClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}

/// <summary>Keeps every line logged through it, at every level.</summary>
public sealed class CapturedLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    /// <summary>The lines logged at warning or above.</summary>
    public IReadOnlyList<string> Warnings => [.. _lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Text)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, formatter(state, exception)));
}
