using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Wms.Bench;

/// <summary>
/// Status ingestion with the status history on against off, in one run: the service is started four times, one after
/// the other, on one PostgreSQL, in the order on, off, off, on, so that a load from outside that comes and goes (the
/// machine is shared), and the index growing with each service's seeding, weigh on both settings alike. Each service
/// is seeded with its own running set and measured as the isolated status phase is.
/// </summary>
public static class HistoryComparison
{
    /// <summary>The ratio of the rate with history to the rate without that the issue asks for.</summary>
    public const double Target = 0.8;

    private static readonly bool[] Order = [true, false, false, true];

    public static async Task<JsonObject> RunAsync(
        BenchOptions options, Pools pools, List<PhaseResult> phases, Action<string> log)
    {
        string? directory = null;
        var database = options.Postgres;
        if (database is null)
        {
            directory = Path.Combine(Path.GetTempPath(), $"wms-bench-pg-{Guid.NewGuid():N}");
            log($"starting a throwaway PostgreSQL in {directory}");
            var output = await Scripts.RunAsync("postgres.sh", "start", directory);
            database = output.Trim().Split('\n')[^1].Trim();
        }
        try
        {
            var measured = new List<(bool On, PhaseResult Phase)>();
            foreach (var on in Order)
            {
                if (Deadline.Aborted)
                {
                    break;
                }
                var setting = on ? "true" : "false";
                log($"status history {(on ? "on" : "off")}: starting a service with WMS_STATUS_HISTORY={setting}");
                // A database of its own: a silo joining a cluster whose last silo was killed waits until that one is
                // declared dead, and each service measures on an index of the same size.
                var own = await NewDatabaseAsync(database, $"wms_history_{measured.Count}");
                await using var service = await ServiceUnderTest.StartAsync(options, pools, log, own,
                    new Dictionary<string, string> { ["WMS_STATUS_HISTORY"] = setting });
                using var wms = new BenchHttp(service.Address);
                await using var monitor = new HostMonitor(service.Pid);
                var run = new BenchRun(options, pools, wms, monitor, log);
                log($"  seeding {options.ActiveTaskforces} taskforces, then statuses for {options.PhaseSeconds} s");
                var phase = await run.StatusIngestionAsync($"history-{(on ? "on" : "off")}-statuses");
                if (service.Failure() is { } reason)
                {
                    throw new InvalidOperationException($"the service died during the status phase: {reason}");
                }
                measured.Add((on, phase));
                phases.Add(phase);
                log($"  {Rate(phase):F0} updates/s");
            }
            var rateOn = Combined(measured.Where(m => m.On).Select(m => m.Phase));
            var rateOff = Combined(measured.Where(m => !m.On).Select(m => m.Phase));
            var ratio = rateOn is { } a && rateOff is { } b && b > 0 ? a / b : (double?)null;
            return new JsonObject
            {
                ["order"] = new JsonArray([.. Order.Select(o => (JsonNode)(o ? "on" : "off"))]),
                ["updates_per_second_on"] = rateOn is { } on1 ? Report.Round(on1, 1) : null,
                ["updates_per_second_off"] = rateOff is { } off1 ? Report.Round(off1, 1) : null,
                ["ratio_on_to_off"] = ratio is { } r ? Report.Round(r, 3) : null,
                ["target"] = Target,
                ["met"] = ratio >= Target,
            };
        }
        finally
        {
            if (directory is not null)
            {
                await ServiceUnderTest.StopPostgresAsync(directory);
            }
        }
    }

    private static async Task<string> NewDatabaseAsync(string server, string name)
    {
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            // One statement each: neither may run inside the implicit transaction of a multi-statement command.
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {name}", $"CREATE DATABASE {name}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>One line for the text summary.</summary>
    public static string Line(JsonObject result) => string.Create(CultureInfo.InvariantCulture,
        $"status history on against off: {result["updates_per_second_on"]} against {result["updates_per_second_off"]} " +
        $"updates/s, ratio {result["ratio_on_to_off"]} (target ≥ {Target}: {((bool?)result["met"] == true ? "met" : "NOT met")})");

    private static double Rate(PhaseResult phase) => phase.Class("statuses")?.ItemsPerSecond ?? 0;

    /// <summary>Updates per second over every phase of one setting: all their updates over all their seconds.</summary>
    private static double? Combined(IEnumerable<PhaseResult> phases)
    {
        var stats = phases.Select(p => p.Class("statuses")).OfType<ClassStats>().ToList();
        var seconds = stats.Sum(s => s.Seconds);
        return seconds > 0 ? stats.Sum(s => s.Items) / seconds : null;
    }
}
