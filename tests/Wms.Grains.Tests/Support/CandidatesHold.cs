namespace Wms.Grains.Tests.Support;

/// <summary>A gate on the index's activation queue reads (<see cref="RecordingObjectIndex.HoldActivationCandidates"/>).</summary>
public sealed class CandidatesHold(Action released)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    /// <summary>Whether a read waits at the gate now.</summary>
    public bool Waiting => Volatile.Read(ref _waiting) > 0;

    public async Task PassAsync()
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.Task;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Release()
    {
        released();
        _gate.TrySetResult();
    }
}
