namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// Tests that read exact counts from <c>/metrics</c>. Meters live in the process, and a host's metrics pipeline hears
/// every host's meter of the same name, so these run alone, after the tests that run side by side.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry: exact counts";
}
