using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Configuration.Overrides;
using Orleans.Runtime;
using Orleans.Storage;

namespace Wms.Storage.Postgres;

/// <summary>
/// Orleans' ADO.NET grain storage with its writes grouped. Reads and clears go to a real
/// <see cref="AdoNetGrainStorage"/> built from the same options; each <c>WriteStateAsync</c> becomes one statement
/// of a shared batch (<see cref="GrainStateGroupCommit"/>), so writes of many grains at once cost PostgreSQL one
/// round trip and one transaction between them instead of one each. What a write stores and what its caller sees
/// are the provider's: the same row identity and hashes, the same serialised payload, the same statement text, and
/// the same version check, whose loser alone gets an <see cref="InconsistentStateException"/>.
/// </summary>
/// <remarks>
/// Orleans runs one call of a grain at a time, so a grain has at most one write waiting; writes are never merged,
/// so even two writes of one grain in one group run in the order they came, each with its own version check.
/// </remarks>
internal sealed class GroupedGrainStorage
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable, IDisposable
{
    private readonly AdoNetGrainStorage _inner;
    private readonly string _name;
    private readonly string _serviceId;
    private readonly int _stage;
    private readonly ILogger _logger;
    private readonly Coalescer<GrainStateWrite> _writes;
    private volatile bool _stopped;
    private volatile CheckedQuery? _checkedQuery;

    internal GroupedGrainStorage(
        AdoNetGrainStorage inner,
        string name,
        string serviceId,
        int stage,
        Func<Task<NpgsqlConnection>> openConnection,
        GroupedGrainStorageOptions grouping,
        ILogger logger)
    {
        _inner = inner;
        _name = name;
        _serviceId = serviceId;
        _stage = stage;
        _logger = logger;
        Commit = new GrainStateGroupCommit(openConnection, serviceId);
        _writes = new Coalescer<GrainStateWrite>(
            group => Commit.CommitAsync(WriteQuery, group), _ => 1, grouping.MaxGroupWrites, grouping.MaxGroupsInFlight);
    }

    /// <summary>The provider that reads and clears, and whose queries and settings the writes use.</summary>
    internal AdoNetGrainStorage Inner => _inner;

    /// <summary>The batches sent, for tests and diagnostics.</summary>
    internal GrainStateGroupCommit Commit { get; }

    // Loaded by the provider at its lifecycle stage; no write is grouped before it is there.
    private string WriteQuery => _inner.CurrentOperationalQueries?.WriteToStorage
        ?? throw new InvalidOperationException($"Grain storage '{_name}' has not loaded its queries yet.");

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
        _inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ReadStateAsync<T>(
        string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);

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
        // A generic type name as state name is normalised by the provider's private rules (none of ours is one);
        // before the provider has its queries, or once grouping has stopped, the provider writes alone. So it does
        // if its write query is several statements, which a batch command cannot hold (ours is one).
        if (_stopped || stateName.Contains('`') || _inner.CurrentOperationalQueries is not { } queries
            || !IsGroupable(queries.WriteToStorage))
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
            _logger.LogError(
                error, "Writing grain state failed: service {ServiceId}, storage {Storage}, state {State}, grain {GrainId}, ETag {ETag}",
                _serviceId, _name, stateName, grainId, etag);
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

    // The provider loads its queries once, so the text is checked once, not on every write.
    private bool IsGroupable(string query)
    {
        if (_checkedQuery is { } known && ReferenceEquals(known.Query, query))
        {
            return known.Groupable;
        }
        var groupable = IsOneStatement(query);
        _checkedQuery = new CheckedQuery(query, groupable);
        return groupable;
    }

    // Conservative: a semicolon anywhere but at the end, even in a literal or a comment, sends writes to the provider.
    private static bool IsOneStatement(string query) => !query.AsSpan().TrimEnd().TrimEnd(';').Contains(';');

    // The coalescer refuses a write at once, without taking it, once it has been disposed.
    private static bool NotTaken(Task written) => written is { IsFaulted: true, Exception.InnerException: ObjectDisposedException };

    /// <summary>Stops grouping and waits until every write already taken has been committed or failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _writes.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task StopAsync(CancellationToken cancellationToken) =>
        await DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The statement's parameters, computed on the caller's thread as the provider computes them, so that a
    /// state that cannot be serialised fails its own caller only.</summary>
    private GrainStateWrite Prepare<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStorageKey.Of(grainId);
        var grainIdHash = Hasher(stateName, grainId, grainState).Hash(key.HashBytes);
        var grainTypeHash = Hasher(stateName, grainId, grainState).Hash(Encoding.UTF8.GetBytes(stateName));
        var version = string.IsNullOrWhiteSpace(grainState.ETag)
            ? (int?)null
            : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = _inner.Serializer.Serialize(grainState.State).ToArray();
        return new GrainStateWrite(stateName, key, grainIdHash, grainTypeHash, version, payload);
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

    private sealed record CheckedQuery(string Query, bool Groupable);
}
