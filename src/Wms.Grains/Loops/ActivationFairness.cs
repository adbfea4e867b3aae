namespace Wms.Grains.Loops;

/// <summary>
/// Keeps MQ activation fair to healthy work and gentle with a sick MQS. A workflow the MQS failed is retried on its
/// own back-off (its workflow grain sets when), and workflows that failed hold at most half the window, so new and
/// healthy work always has room beside them. When every recent call failed, the MQS itself looks down: the loop
/// then goes quiet for a back-off and sends one probe after it, a workflow that never failed when one waits, since
/// its answer tells a sick MQS from a few sick workflows.
/// </summary>
internal sealed class ActivationFairness(int window, TimeProvider time)
{
    /// <summary>Failed workflows are forgotten after this long without another failure (deactivated ones never come back).</summary>
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, DateTimeOffset> _failed = [];
    private int _consecutiveFailures;
    private DateTimeOffset _quietUntil = DateTimeOffset.MinValue;

    /// <summary>Consecutive failures, across workflows, after which the MQS looks down.</summary>
    public int DownAfter => window;

    public int MaxFailedInFlight => Math.Max(1, window / 2);

    public bool MqsLooksDown => _consecutiveFailures >= DownAfter;

    /// <summary>How many activations may be in flight: one probe while the MQS looks down.</summary>
    public int Width => MqsLooksDown ? 1 : window;

    /// <summary>How many workflows this loop has seen the MQS fail and not yet seen succeed.</summary>
    public int FailedCount => _failed.Count;

    public bool HasFailed(string workflowId) => _failed.ContainsKey(workflowId);

    /// <summary>While the MQS looks down, how long to stay quiet before the next probe.</summary>
    public TimeSpan QuietLeft()
    {
        var left = _quietUntil - time.GetUtcNow();
        return MqsLooksDown && left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// The workflows to start, from <paramref name="listed"/> (in the contract's order, none running or tried):
    /// in that order, but with failed ones only while fewer than half the window are in flight, and none while the
    /// MQS looks down unless nothing else waits.
    /// </summary>
    public List<string> Choose(IEnumerable<string> listed, int free, int failedInFlight)
    {
        var chosen = new List<string>();
        var failedRoom = MqsLooksDown ? 0 : MaxFailedInFlight - failedInFlight;
        string? failedProbe = null;
        foreach (var id in listed)
        {
            if (chosen.Count >= free)
            {
                break;
            }
            if (!_failed.ContainsKey(id))
            {
                chosen.Add(id);
            }
            else if (failedRoom > 0)
            {
                chosen.Add(id);
                failedRoom--;
            }
            else
            {
                failedProbe ??= id;
            }
        }
        if (MqsLooksDown && chosen.Count == 0 && free > 0 && failedInFlight == 0 && failedProbe is not null)
        {
            chosen.Add(failedProbe);
        }
        return chosen;
    }

    /// <summary>The MQS failed this workflow; <paramref name="quiet"/> is how long to stay quiet if it now looks down.</summary>
    public void Failed(string workflowId, TimeSpan quiet)
    {
        var now = time.GetUtcNow();
        _failed[workflowId] = now;
        _consecutiveFailures++;
        if (MqsLooksDown)
        {
            _quietUntil = now + quiet;
        }
        Forget(now);
    }

    /// <summary>The MQS answered for this workflow (activated, or try again later): it is healthy again.</summary>
    public void Answered(string workflowId)
    {
        _failed.Remove(workflowId);
        _consecutiveFailures = 0;
    }

    /// <summary>Nothing was asked of the MQS (already activated or deactivated): only this workflow is done.</summary>
    public void Settled(string workflowId) => _failed.Remove(workflowId);

    private void Forget(DateTimeOffset now)
    {
        if (_failed.Count < 1024)
        {
            return;
        }
        foreach (var stale in _failed.Where(f => now - f.Value > Memory).Select(f => f.Key).ToList())
        {
            _failed.Remove(stale);
        }
    }
}
