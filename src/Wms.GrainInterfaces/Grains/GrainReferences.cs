namespace Wms.GrainInterfaces.Grains;

/// <summary>
/// References to string-keyed grains without Orleans' per-call lookup of the interface's type from its attributes,
/// which costs noticeable CPU on paths that make many references (a submission, a bulk status report). The grain
/// and interface types are learnt from the first reference Orleans makes, then reused.
/// </summary>
public static class GrainReferences
{
    public static T Get<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (Types<T>.Known is not { } known)
        {
            var made = grains.GetGrain<T>(key);
            var reference = (GrainReference)(object)made;
            Types<T>.Known = new KnownTypes(reference.GrainId.Type, reference.InterfaceType);
            return made;
        }
        return (T)grains.GetGrain(GrainId.Create(known.Grain, key), known.Interface);
    }

    // One pair per interface: grain types follow from the grain classes, the same in every cluster of the process.
    // A class, so that a reader never sees half of a pair being written.
    private static class Types<T>
    {
        public static volatile KnownTypes? Known;
    }

    private sealed record KnownTypes(GrainType Grain, GrainInterfaceType Interface);
}
