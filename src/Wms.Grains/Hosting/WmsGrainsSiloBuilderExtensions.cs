using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wms.Domain.Index;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.Telemetry;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Mqs;
using Wms.Grains.Telemetry;
using Wms.Grains.Watch;

namespace Wms.Grains.Hosting;

/// <summary>Registers what the service's grains need, for the service's host and test clusters alike.</summary>
public static class WmsGrainsSiloBuilderExtensions
{
    /// <summary>
    /// The clock, the options the grains read (<see cref="WmsOptions"/>, <see cref="MqsOptions"/>; their values are
    /// the caller's to configure), the MQS client, the source of live queue profiles (<see cref="IMqProfileSource"/>),
    /// the service's instruments (<see cref="WmsMetrics"/>, and the <see cref="TaskforceCensus"/> behind its phase
    /// gauges, which counts only once a metrics pipeline asks for it), a minimum reminder period that admits the
    /// loops' reminders, and the filter that marks a grain's failed onward calls as its own failures
    /// (<see cref="OnwardCallFailures"/>), and the silo's directory of watched workflows (<see cref="WatchDirectory"/>,
    /// with its <see cref="WatchOptions"/>), which joins the cluster's registry when the silo starts.
    /// The query index (<c>IObjectIndex</c>) and grain storage are the host's choice and are not registered here; nor
    /// is the status history, which is none (<see cref="NoStatusHistory"/>) unless the host registered one. A
    /// caller may replace one of these services, say the MQS client with a double, by registering it afterwards.
    /// </summary>
    public static ISiloBuilder AddWmsGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WmsOptions>();
        services.AddOptions<MqsOptions>();
        services.AddMetrics();
        services.TryAddSingleton<WmsMetrics>();
        services.TryAddSingleton<TaskforceCensus>();

        // One token source per silo, so every grain shares the cached token.
        services.AddHttpClient(MqsTokenSource.HttpClientName);
        services.TryAddSingleton<MqsTokenSource>();
        services.TryAddSingleton<EmbeddedMqsClient>();
        // Each attempt has its own limit (MqsOptions.RequestTimeout), so the client's own timeout stays out of the way.
        services.AddHttpClient<HttpMqsClient>(nameof(IMqsClient), http => http.Timeout = Timeout.InfiniteTimeSpan);
        // No MQS address means the embedded MQS; the choice follows the options, whoever configured them.
        services.AddTransient<IMqsClient>(s => s.GetRequiredService<IOptions<MqsOptions>>().Value.IsEmbedded
            ? s.GetRequiredService<EmbeddedMqsClient>()
            : s.GetRequiredService<HttpMqsClient>());
        // One per silo: the live profiles it keeps are what spare the MQS a call per TMS poll.
        services.TryAddSingleton<IMqProfileSource, MqProfileSource>();
        // A grain's failed onward call must not pass for a rejection of the call it serves (OnwardCallFailures).
        silo.AddIncomingGrainCallFilter<OnwardCallFailures>();
        services.TryAddSingleton<IStatusHistory>(NoStatusHistory.Instance);
        services.AddOptions<WatchOptions>();
        services.TryAddSingleton<WatchDirectory>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<WatchDirectory>());

        // Orleans refuses a reminder shorter than its minimum period; the loops' period may be shorter (tests).
        services.AddOptions<ReminderOptions>().Configure<IOptions<WmsOptions>>((reminders, wms) =>
        {
            if (wms.Value.LoopReminderPeriod < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = wms.Value.LoopReminderPeriod;
            }
        });
        return silo;
    }
}
