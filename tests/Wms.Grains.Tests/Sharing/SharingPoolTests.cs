using Wms.Grains.Sharing;

namespace Wms.Grains.Tests.Sharing;

public sealed class SharingPoolTests
{
    [Fact]
    public void AnEqualValueSeenAgainComesBackAsTheFirstInstance()
    {
        var pool = new SharingPool<string>(64, StringComparer.Ordinal);
        var first = new string('x', 12);
        var second = new string('x', 12);

        Assert.Same(first, pool.Share(first));
        Assert.Same(first, pool.Share(second));
    }

    [Fact]
    public void EveryAnswerEqualsWhatWasAskedEvenWhenSlotsCollide()
    {
        // Two slots for a thousand values: nearly every call replaces what another value left.
        var pool = new SharingPool<string>(2, StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var value = $"value-{i % 37}";
            Assert.Equal(value, pool.Share(value));
        }
    }

    [Fact]
    public async Task ConcurrentCallersOnlyEverGetAnEqualValue()
    {
        var pool = new SharingPool<string>(8, StringComparer.Ordinal);
        var wrong = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                var value = ((i * 7 + worker) % 101).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (pool.Share(value) != value)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })));
        Assert.Equal(0, wrong);
    }
}
