using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Configuration.Overrides;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Wms.Storage.Postgres;

/// <summary>
/// Orleans' ADO.NET grain storage with its reads and writes grouped. Clears go to a real
/// <see cref="AdoNetGrainStorage"/> built from the same options; each <c>WriteStateAsync</c> becomes one statement
/// of a shared batch (<see cref="GrainStateGroupCommit"/>), so writes of many grains at once cost PostgreSQL one
/// round trip and one transaction between them instead of one each. What a write stores and what its caller sees
/// are the provider's: the same row identity and hashes, the same serialised payload, the same statement text, and
/// the same version check, whose loser alone gets an <see cref="InconsistentStateException"/>. Reads are grouped the
/// same way (<see cref="GrainStateGroupRead"/>): the provider's statement per read, its rules for what a row, a row
/// without payload or no row becomes, and no connection of their own (each activation of a new grain reads once).
/// </summary>
/// <remarks>
/// Orleans runs one call of a grain at a time, so a grain has at most one write waiting; writes are never merged,
/// so even two writes of one grain in one group run in the order they came, each with its own version check.
/// </remarks>
internal sealed partial class GroupedGrainStorage
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable, IDisposable
{
    private readonly AdoNetGrainStorage _inner;
    private readonly string _name;
    private readonly string _serviceId;
    private readonly int _stage;
    private readonly ILogger _logger;
    private readonly Coalescer<GrainStateWrite> _writes;
    private readonly Coalescer<GrainStateRead> _reads;
    private readonly IActivatorProvider _activators;
    private volatile bool _stopped;
    private CheckedQuery? _checkedWrite;
    private CheckedQuery? _checkedRead;

    internal GroupedGrainStorage(
        AdoNetGrainStorage inner,
        string name,
        string serviceId,
        int stage,
        Func<Task<NpgsqlConnection>> openConnection,
        GroupedGrainStorageOptions grouping,
        IActivatorProvider activators,
        ILogger logger)
    {
        _inner = inner;
        _name = name;
        _serviceId = serviceId;
        _stage = stage;
        _logger = logger;
        _activators = activators;
        Commit = new GrainStateGroupCommit(openConnection, serviceId);
        _writes = new Coalescer<GrainStateWrite>(
            group => Commit.CommitAsync(WriteStatement, group), _ => 1, grouping.MaxGroupWrites, grouping.MaxGroupsInFlight);
        Reads = new GrainStateGroupRead(openConnection, serviceId);
        _reads = new Coalescer<GrainStateRead>(
            group => Reads.ReadAsync(ReadStatement, group), _ => 1, grouping.MaxGroupReads, grouping.MaxGroupsInFlight);
    }

    /// <summary>The provider that reads and clears, and whose queries and settings the writes use.</summary>
    internal AdoNetGrainStorage Inner => _inner;

    /// <summary>The batches sent, for tests and diagnostics.</summary>
    internal GrainStateGroupCommit Commit { get; }

    /// <summary>The read batches sent, for tests and diagnostics.</summary>
    internal GrainStateGroupRead Reads { get; }

    // The provider's statements, made positional. Loaded by the provider at its lifecycle stage; nothing is grouped
    // before they are there, nor when one cannot be made positional (the checks in ReadStateAsync, WriteStateAsync).
    private string WriteStatement => Positional(
            ref _checkedWrite, _inner.CurrentOperationalQueries?.WriteToStorage, GrainStateWrite.ParameterNames)
        ?? throw new InvalidOperationException($"Grain storage '{_name}' has no groupable write statement.");

    private string ReadStatement => Positional(
            ref _checkedRead, _inner.CurrentOperationalQueries?.ReadFromStorage, GrainStateRead.ParameterNames)
        ?? throw new InvalidOperationException($"Grain storage '{_name}' has no groupable read statement.");

    /// <summary>
    /// The storage registered under <paramref name="name"/>: grouped, unless its <see cref="GroupedGrainStorageOptions"/>
    /// turn grouping off or it does not reach PostgreSQL through Npgsql, in which case it is the plain provider.
    /// </summary>
    public static IGrainStorage Create(IServiceProvider services, string name)
    {
        var inner = AdoNetGrainStorageFactory.Create(services, name);
        var grouping = services.GetRequiredService<IOptionsMonitor<GroupedGrainStorageOptions>>().Get(name);
        var options = services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(name);
        if (!grouping.Enabled || ConnectionOpener(options) is not { } openConnection)
        {
            return inner;
        }
        return new GroupedGrainStorage(
            inner,
            name,
            services.GetProviderClusterOptions(name).Value.ServiceId,
            options.InitStage,
            openConnection,
            grouping,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILogger<GroupedGrainStorage>>());
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        // The provider loads its queries when its own stage starts: it must still take part.
        _inner.Participate(lifecycle);
        // Stopped at the same stage, after the grains (deactivated at a later stage, so stopped earlier) are gone.
        lifecycle.Subscribe($"{nameof(GroupedGrainStorage)}-{_name}", _stage, _ => Task.CompletedTask, StopAsync);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        if (!Groups(stateName, ref _checkedRead, _inner.CurrentOperationalQueries?.ReadFromStorage, GrainStateRead.ParameterNames))
        {
            await _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var (key, grainIdHash, grainTypeHash) = Identity(stateName, grainId, grainState);
        var read = new GrainStateRead(stateName, key, grainIdHash, grainTypeHash);
        var done = _reads.SubmitAsync(read, cancellationToken);
        if (NotTaken(done))
        {
            await _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await done.ConfigureAwait(false);
            if (read.Failure is { } failure)
            {
                throw failure;
            }
            // The provider's rules: a payload is the state, and the record exists; a row without one (cleared) or no
            // row is a new state that does not, though a cleared row's version is still the ETag.
            var state = read.Payload is { } payload ? _inner.Serializer.Deserialize<T>(new BinaryData(payload)) : default;
            grainState.State = state ?? _activators.GetActivator<T>().Create();
            grainState.ETag = read.Version?.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = state is not null;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(error, _serviceId, _name, stateName, grainId);
            throw;
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ClearStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        if (!Groups(stateName, ref _checkedWrite, _inner.CurrentOperationalQueries?.WriteToStorage, GrainStateWrite.ParameterNames))
        {
            await _inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var etag = grainState.ETag;
        GrainStateWrite write;
        Task written;
        try
        {
            write = Prepare(stateName, grainId, grainState);
            written = _writes.SubmitAsync(write, cancellationToken);
            if (!NotTaken(written))
            {
                await written.ConfigureAwait(false);
                if (write.Failure is { } failure)
                {
                    throw failure;
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogWriteFailed(error, _serviceId, _name, stateName, grainId, etag);
            throw;
        }
        if (NotTaken(written))
        {
            // Grouping stopped between the check above and the hand-over; the provider writes it alone.
            await _inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
            return;
        }
        var stored = write.StoredVersion;
        // The provider's rule: no new version (no row, NULL, or the version sent) is a lost version check.
        if (stored == etag || stored == "" || (stored is null && etag is not null))
        {
            throw new InconsistentStateException(
                $"Grain state version conflict on write: service {_serviceId}, storage {_name}, state {stateName}, " +
                $"grain {grainId}, ETag {etag ?? "none"}; the stored state changed since it was read.");
        }
        grainState.ETag = stored;
        grainState.RecordExists = true;
    }

    /// <summary>
    /// Whether a read or write goes into a group, or to the provider alone: alone once grouping has stopped, for a
    /// generic type name as state name (the provider normalises those by private rules; none of ours is one), before
    /// the provider has its queries, and when its statement cannot be made positional (several statements, which a
    /// batch command cannot hold, or a parameter the provider does not bind; see <see cref="PositionalStatement"/>).
    /// </summary>
    private bool Groups(string stateName, ref CheckedQuery? checkedQuery, string? query, IReadOnlyList<string> names) =>
        !_stopped && !stateName.Contains('`') && Positional(ref checkedQuery, query, names) is not null;

    // The provider loads its queries once, so each text is made positional once, not on every call.
    private static string? Positional(ref CheckedQuery? checkedQuery, string? query, IReadOnlyList<string> names)
    {
        if (query is null)
        {
            return null;
        }
        if (Volatile.Read(ref checkedQuery) is { } known && ReferenceEquals(known.Query, query))
        {
            return known.Positional;
        }
        var positional = PositionalStatement.Of(query, names);
        Volatile.Write(ref checkedQuery, new CheckedQuery(query, positional));
        return positional;
    }

    // The coalescers refuse an item at once, without taking it, once they have been disposed.
    private static bool NotTaken(Task written) => written is { IsFaulted: true, Exception.InnerException: ObjectDisposedException };

    /// <summary>Stops grouping and waits until every read and write already taken has been done or failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _writes.DisposeAsync().ConfigureAwait(false);
        await _reads.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task StopAsync(CancellationToken cancellationToken) =>
        await DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The statement's parameters, computed on the caller's thread as the provider computes them, so that a
    /// state that cannot be serialised fails its own caller only.</summary>
    private GrainStateWrite Prepare<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (key, grainIdHash, grainTypeHash) = Identity(stateName, grainId, grainState);
        var version = string.IsNullOrWhiteSpace(grainState.ETag)
            ? (int?)null
            : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = _inner.Serializer.Serialize(grainState.State).ToArray();
        return new GrainStateWrite(stateName, key, grainIdHash, grainTypeHash, version, payload);
    }

    /// <summary>The row's identity and its two hashes, as the provider computes them.</summary>
    private (GrainStorageKey Key, int GrainIdHash, int GrainTypeHash) Identity<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStorageKey.Of(grainId);
        var grainIdHash = Hasher(stateName, grainId, grainState).Hash(key.HashBytes);
        var grainTypeHash = Hasher(stateName, grainId, grainState).Hash(Encoding.UTF8.GetBytes(stateName));
        return (key, grainIdHash, grainTypeHash);
    }

    // Picked per hash, as the provider does: a picker may choose by key or state and hand out a new hasher each time.
    private IHasher Hasher<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.HashPicker.PickHasher(_serviceId, _name, stateName, grainId, grainState)
        ?? throw new InvalidOperationException($"Grain storage '{_name}' has no hasher for state {stateName}.");

    /// <summary>How to open a connection the way the provider does, or null when it does not use Npgsql.</summary>
    private static Func<Task<NpgsqlConnection>>? ConnectionOpener(AdoNetGrainStorageOptions options)
    {
        if (options.Invariant != OrleansPostgres.Invariant)
        {
            return null;
        }
        if (options.DataSource is NpgsqlDataSource dataSource)
        {
            return async () => await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        }
        if (options.DataSource is not null || string.IsNullOrEmpty(options.ConnectionString))
        {
            return null;
        }
        // A connection from the connection string's pool: the same pool the provider's own connections come from.
        var connectionString = options.ConnectionString;
        return async () =>
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync().ConfigureAwait(false);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        };
    }

    private sealed record CheckedQuery(string Query, string? Positional);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Reading grain state failed: service {ServiceId}, storage {Storage}, state {State}, grain {GrainId}")]
    private partial void LogReadFailed(Exception error, string serviceId, string storage, string state, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Writing grain state failed: service {ServiceId}, storage {Storage}, state {State}, grain {GrainId}, ETag {ETag}")]
    private partial void LogWriteFailed(
        Exception error, string serviceId, string storage, string state, GrainId grainId, string? eTag);
}
