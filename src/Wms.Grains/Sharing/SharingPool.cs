using System.Numerics;

namespace Wms.Grains.Sharing;

/// <summary>
/// Hands back one instance for equal values seen close together, so that thousands of stored documents read back
/// into memory do not each keep their own copy of the same text. Bounded and lossy: each slot holds the last value
/// that hashed to it, and a miss replaces it, so the pool never grows and never needs a lock (a reference write is
/// atomic, and a lost race costs one missed share, never a wrong value).
/// </summary>
public sealed class SharingPool<T>(int slots, IEqualityComparer<T> comparer) where T : class
{
    private readonly T?[] _slots = new T?[BitOperations.RoundUpToPowerOf2((uint)Math.Max(slots, 2))];

    public T Share(T value)
    {
        ref var slot = ref _slots[comparer.GetHashCode(value) & (_slots.Length - 1)];
        var held = Volatile.Read(ref slot);
        if (held is not null && comparer.Equals(held, value))
        {
            return held;
        }
        Volatile.Write(ref slot, value);
        return value;
    }
}
