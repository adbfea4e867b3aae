using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>A TMS status report for one taskforce; a field left null is not replaced.</summary>
/// <remarks>
/// Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only. The constructor is
/// not a primary one because Orleans serializes a record's primary constructor parameters as they are declared,
/// read-only interface types included.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Wms.StatusUpdate")]
public sealed record StatusUpdate
{
    [NonSerialized] private Dictionary<string, IReadOnlyDictionary<string, long>>? _compoundStatuses;
    [Id(1)] private readonly Dictionary<string, long>? _topTaskErrors;

    public StatusUpdate(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? compoundStatuses,
        IReadOnlyDictionary<string, long>? topTaskErrors)
    {
        CompoundStatuses = compoundStatuses;
        TopTaskErrors = topTaskErrors;
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? CompoundStatuses
    {
        get => _compoundStatuses;
        init => _compoundStatuses = value is null ? null : StoredCollections.NestedOf(value);
    }

    /// <summary>
    /// <see cref="CompoundStatuses"/> in the type Orleans has always written it as (see <see cref="StoredCollections"/>);
    /// set only by Orleans, when it reads one.
    /// </summary>
    [Id(0)]
    internal Dictionary<string, Dictionary<string, long>>? StoredCompoundStatuses
    {
        get => _compoundStatuses is null ? null : StoredCollections.Stored(_compoundStatuses);
        set => _compoundStatuses = value is null ? null : StoredCollections.NestedOf(value);
    }

    public IReadOnlyDictionary<string, long>? TopTaskErrors
    {
        get => _topTaskErrors;
        init => _topTaskErrors = value is null ? null : StoredCollections.DictionaryOf(value);
    }
}
