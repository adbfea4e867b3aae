using Orleans.Configuration;
using Wms.Grains;

namespace Wms.Silo;

/// <summary>
/// How long the service keeps an idle activation, and how much of the grain directory it caches.
/// </summary>
/// <remarks>
/// Reads come from the index, and the TMS reports on a running taskforce every few minutes, so an activation kept
/// between calls holds memory for nothing; a burst of reports (after a restart, say) would otherwise keep tens of
/// thousands of them for Orleans' default fifteen minutes. Ages are set here, not by attributes on the grains:
/// Orleans lets an attribute override the options, and every age must exceed the collection quantum set beside it.
/// </remarks>
public static class GrainLifetimes
{
    public static readonly TimeSpan IdleAge = TimeSpan.FromSeconds(30);

    /// <summary>How often idle activations are looked for: often enough that <see cref="IdleAge"/> holds closely.</summary>
    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Orleans caches the address of every grain it called, up to a million by default: hundreds of megabytes once a
    /// long-running service has touched that many taskforces. A few minutes of the busiest traffic is plenty when an
    /// activation lives 30 s once idle; a miss costs one directory lookup.
    /// </summary>
    public const int DirectoryCacheSize = 50_000;

    public static readonly IReadOnlyList<Type> Grains =
        [typeof(WorkflowGrain), typeof(TaskDirectiveGrain), typeof(TaskforceGrain)];

    public static void Apply(GrainCollectionOptions options)
    {
        options.CollectionQuantum = CollectionQuantum;
        foreach (var grain in Grains)
        {
            options.ClassSpecificCollectionAge[grain.FullName!] = IdleAge;
        }
    }

    public static void Apply(GrainDirectoryOptions options) => options.CacheSize = DirectoryCacheSize;
}
