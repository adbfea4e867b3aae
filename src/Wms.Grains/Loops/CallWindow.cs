using System.Runtime.ExceptionServices;

namespace Wms.Grains.Loops;

/// <summary>
/// The grain calls a loop has started and not yet seen finish, at most <see cref="Width"/> of them. The loop's own
/// turn awaits them one by one, so it sees every result, and every exception, before it decides what to start next
/// or ends the round: nothing started is left running unobserved.
/// </summary>
internal sealed class CallWindow<TKey, TResult>(int width)
    where TKey : notnull
{
    private readonly Dictionary<Task<TResult>, TKey> _running = [];
    private readonly List<Exception> _errors = [];

    public int Width { get; set; } = width;

    public int Count => _running.Count;

    /// <summary>How many more calls may start now.</summary>
    public int Free => Math.Max(0, Width - _running.Count);

    /// <summary>Whether a call (or the loop itself, see <see cref="Fail"/>) threw.</summary>
    public bool Failed => _errors.Count > 0;

    public void Start(TKey key, Task<TResult> call) => _running.Add(call, key);

    /// <summary>Whether a call for <paramref name="key"/> is running.</summary>
    public bool IsRunning(TKey key) => _running.ContainsValue(key);

    /// <summary>How many running calls <paramref name="counted"/> picks out.</summary>
    public int CountWhere(Func<TKey, bool> counted) => _running.Values.Count(counted);

    /// <summary>Completes when some running call has finished; <see cref="NextFinishedAsync"/> then returns at once.</summary>
    public Task AnyFinished() => Task.WhenAny(_running.Keys);

    /// <summary>Records an exception of the loop's own, to be thrown once the running calls have finished.</summary>
    public void Fail(Exception error) => _errors.Add(error);

    /// <summary>
    /// Waits for the next call to finish: its key, and its result unless it threw (the exception is kept and thrown
    /// by <see cref="ThrowIfFailed"/>).
    /// </summary>
    public async Task<(TKey Key, bool Succeeded, TResult? Result)> NextFinishedAsync()
    {
        var finished = await Task.WhenAny(_running.Keys);
        var key = _running[finished];
        _running.Remove(finished);
        try
        {
            return (key, true, await finished);
        }
        catch (Exception e)
        {
            _errors.Add(e);
            return (key, false, default);
        }
    }

    /// <summary>Throws what went wrong, as the sequential loop would have: the base class logs it and retries.</summary>
    public void ThrowIfFailed()
    {
        if (_errors.Count == 1)
        {
            ExceptionDispatchInfo.Throw(_errors[0]);
        }
        if (_errors.Count > 1)
        {
            throw new AggregateException(_errors);
        }
    }
}
