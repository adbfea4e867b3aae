using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Tests.Support;

/// <summary>
/// Scripted MQS activations that wait at the MQS until the test releases them, counting how many wait at once: what
/// the MQS sees of the activator's window. Thread-safe: the silos run the steps while the test releases them.
/// </summary>
public sealed class HeldActivations
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TaskCompletionSource>> _pending = [];
    private int _waiting;
    private int _peak;

    /// <summary>The most activations that ever waited at the same time.</summary>
    public int Peak
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    /// <summary>
    /// The next step for <paramref name="workflowId"/>'s activations: waits for <see cref="Release"/>, then grants, or
    /// fails like an unreachable MQS when <paramref name="failWith"/> is given.
    /// </summary>
    public ScriptedMqsClient.ActivationStep Step(string workflowId, string? failWith = null)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_pending.TryGetValue(workflowId, out var queue))
            {
                _pending[workflowId] = queue = new Queue<TaskCompletionSource>();
            }
            queue.Enqueue(release);
        }
        return async () =>
        {
            Enter();
            try
            {
                await release.Task;
            }
            finally
            {
                Leave();
            }
            if (failWith is not null)
            {
                throw new MqsException(failWith);
            }
            return null;
        };
    }

    /// <summary>Lets the workflow's earliest held step go on.</summary>
    public void Release(string workflowId)
    {
        lock (_gate)
        {
            _pending[workflowId].Dequeue().SetResult();
        }
    }

    /// <summary>Lets every step go on, now and when it comes.</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            foreach (var release in _pending.Values.SelectMany(q => q))
            {
                release.TrySetResult();
            }
            _pending.Clear();
        }
    }

    private void Enter()
    {
        lock (_gate)
        {
            _waiting++;
            _peak = Math.Max(_peak, _waiting);
        }
    }

    private void Leave()
    {
        lock (_gate)
        {
            _waiting--;
        }
    }
}
