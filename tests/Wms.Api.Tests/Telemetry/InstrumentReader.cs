using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Wms.GrainInterfaces.Telemetry;

namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// The service's instruments of one <see cref="WmsMetrics"/>, made on a meter factory of its own and read by a
/// listener that hears only that factory's meters, so tests running beside it are not heard.
/// </summary>
public sealed class InstrumentReader : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly List<Measured> _measured = [];

    public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

    public InstrumentReader()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = _services.GetRequiredService<IMeterFactory>();
        Metrics = new WmsMetrics(factory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    public WmsMetrics Metrics { get; }

    /// <summary>What the gauges show now.</summary>
    public List<Measured> Observe(string instrument)
    {
        lock (_measured)
        {
            _measured.RemoveAll(m => m.Instrument == instrument);
        }
        _listener.RecordObservableInstruments();
        return Recorded(instrument);
    }

    /// <summary>Every measurement of <paramref name="instrument"/> so far (counters: each addition).</summary>
    public List<Measured> Recorded(string instrument)
    {
        lock (_measured)
        {
            return [.. _measured.Where(m => m.Instrument == instrument)];
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var named = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            named[tag.Key] = tag.Value?.ToString();
        }
        lock (_measured)
        {
            _measured.Add(new Measured(instrument.Name, value, named));
        }
    }
}
