namespace Wms.Domain.Watch;

/// <summary>
/// The newest events of a watched workflow, numbered from 1 in the order they arrived, of which at most
/// <see cref="Capacity"/> are kept: what a watcher that fell behind, or a client that reconnects, is sent again.
/// </summary>
/// <remarks>Not thread-safe: one grain owns it.</remarks>
public sealed class EventRing<T>
{
    private readonly T[] _items;
    private int _count;

    public EventRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;

    /// <summary>The number of the newest event; 0 before the first.</summary>
    public long Last { get; private set; }

    /// <summary>The number of the oldest event still kept; <see cref="Last"/> + 1 while none is.</summary>
    public long Oldest => Last - _count + 1;

    /// <summary>Keeps <paramref name="item"/>, dropping the oldest when full; returns its number.</summary>
    public long Append(T item)
    {
        Last++;
        _items[(int)(Last % _items.Length)] = item;
        if (_count < _items.Length)
        {
            _count++;
        }
        return Last;
    }

    /// <summary>
    /// Whether every event after <paramref name="after"/> is still kept (none may have been dropped since), so that
    /// a reader who has seen up to it can be brought up to date from here alone.
    /// </summary>
    public bool Holds(long after) => after >= Oldest - 1 && after <= Last;

    /// <summary>
    /// The events after <paramref name="after"/>, oldest first, at most <paramref name="limit"/> of them; null when
    /// they cannot all be given (<see cref="Holds"/> is false).
    /// </summary>
    public IReadOnlyList<T>? After(long after, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!Holds(after))
        {
            return null;
        }
        var count = (int)Math.Min(Last - after, limit);
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = _items[(int)((after + 1 + i) % _items.Length)];
        }
        return items;
    }
}
