namespace Wms.GrainInterfaces.Configuration;

/// <summary>The pace of the background loops and the TMS's patience, shared by grains and endpoints.</summary>
public sealed class WmsOptions
{
    /// <summary>Pause of the MQ activation loop between rounds while workflows wait.</summary>
    public TimeSpan MqActivatorDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a workflow waits after the MQS said to try again later.</summary>
    public TimeSpan MqActivatorRetryWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between two taskforces handed to the TMS; zero hands them over without pause.</summary>
    public TimeSpan LaunchControlDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed condor-submit (or condor-rm) attempts after which the TMS is no longer offered a taskforce.</summary>
    public int TmsActionRetries { get; set; } = 2;

    /// <summary>Period of the reminders that revive the loops after a restart.</summary>
    public TimeSpan LoopReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
