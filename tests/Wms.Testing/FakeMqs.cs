using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Wms.Testing;

/// <summary>
/// An in-process stand-in for the EWMS MQ Service, served over real HTTP (Kestrel on 127.0.0.1, random port).
/// Speaks the reservation, activation, public-profile and (on v1) profile endpoints the WMS uses, as the MQS of
/// the chosen generation does (<see cref="MqsVersion"/>; v1 by default, as the WMS's default), records every call
/// in arrival order and lets a test program the activation answers. Given a <see cref="TokenValidator"/>, it admits
/// callers by role as the real MQS does. All members are thread-safe.
/// </summary>
/// <remarks>Start with <see cref="StartAsync(CancellationToken)"/>, point the WMS at <see cref="BaseAddress"/>, dispose to stop.</remarks>
public sealed class FakeMqs : IAsyncDisposable
{
    private const string ReservationRoute = "/{version}/mqs/workflows/{workflow_id}/mq-group/reservation";
    private const string ActivationRoute = "/{version}/mqs/workflows/{workflow_id}/mq-group/activation";
    private const string PublicProfilesRoute = "/{version}/mqs/workflows/{workflow_id}/mq-profiles/public";
    private const string ProfileRoute = "/v1/mqs/mq-profiles/{mqid}";

    /// <summary>How long the real MQS's queue tokens live (<c>BROKER_QUEUE_AUTH_TOKEN_EXP</c>).</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(24);

    private static readonly Func<ActivationRequest, ActivationOutcome> GrantAll = _ => ActivationOutcome.Grant;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<MqsCall> _calls = [];
    private readonly List<string> _grantedOrder = [];
    private readonly Dictionary<string, MqGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _attemptsByWorkflow = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private Func<ActivationRequest, ActivationOutcome> _activationPolicy = GrantAll;
    private Func<string, Task<ClaimsIdentity?>>? _tokenValidator;
    private int? _reservationFailureStatus;
    private int _activationCalls;
    private int _generation; // bumped by Reset so in-flight calls from before it update nothing
    private string _brokerType = "rabbitmq";
    private string _brokerAddress = "localhost:5672";
    private TimeProvider _clock = TimeProvider.System;
    private TimeSpan _tokenLifetime = DefaultTokenLifetime;
    private int _disposed;

    private FakeMqs(MqsVersion version)
    {
        Version = version;
    }

    /// <summary>The generation of the MQS this fake speaks as, fixed at start.</summary>
    public MqsVersion Version { get; }

    /// <summary>Root of the fake service, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every call so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<MqsCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    public IReadOnlyList<MqsCall> Reservations => CallsOf(MqsCallKind.Reservation);

    public IReadOnlyList<MqsCall> Activations => CallsOf(MqsCallKind.Activation);

    public IReadOnlyList<MqsCall> PublicProfileReads => CallsOf(MqsCallKind.PublicProfiles);

    /// <summary>Reads of one queue's profile by id (v1 only).</summary>
    public IReadOnlyList<MqsCall> ProfileReads => CallsOf(MqsCallKind.Profile);

    /// <summary>How many calls of this kind arrived so far, however they were answered: the round trips made.</summary>
    public int CountOf(MqsCallKind kind)
    {
        lock (_gate)
        {
            return _calls.Count(c => c.Kind == kind);
        }
    }

    /// <summary>
    /// The MQS's own clock: the profiles' timestamps and the v1 tokens' <c>iat</c> and <c>exp</c> read it, so a test
    /// can move time (calls are still stamped with the real time). Kept across <see cref="Reset"/>.
    /// </summary>
    public TimeProvider Clock
    {
        get
        {
            lock (_gate)
            {
                return _clock;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _clock = value;
            }
        }
    }

    /// <summary>How long a token minted by a v1 activation lives (its <c>exp</c> after its <c>iat</c>); a day by default.</summary>
    public TimeSpan TokenLifetime
    {
        get
        {
            lock (_gate)
            {
                return _tokenLifetime;
            }
        }

        set
        {
            lock (_gate)
            {
                _tokenLifetime = value;
            }
        }
    }

    /// <summary>Workflow ids in the order their activations were granted (a repeated grant appears again).</summary>
    public IReadOnlyList<string> GrantedActivationOrder
    {
        get
        {
            lock (_gate)
            {
                return _grantedOrder.ToArray();
            }
        }
    }

    /// <summary>Decides each activation of a reserved workflow; default grants everything.</summary>
    public Func<ActivationRequest, ActivationOutcome> ActivationPolicy
    {
        get
        {
            lock (_gate)
            {
                return _activationPolicy;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _activationPolicy = value;
            }
        }
    }

    /// <summary>
    /// Checks a bearer token and gives its claims, or null when it is not valid. Set, every call needs a token whose
    /// claims hold the route's role (<see cref="MqsRoleRules"/>): <c>system-wms</c> for reservation, activation and
    /// the read of one profile, <c>user</c> for the public-profile read; any other call is refused with 403, as the real MQS refuses it. Null
    /// (the default) admits every call. Kept across <see cref="Reset"/>.
    /// </summary>
    public Func<string, Task<ClaimsIdentity?>>? TokenValidator
    {
        get
        {
            lock (_gate)
            {
                return _tokenValidator;
            }
        }

        set
        {
            lock (_gate)
            {
                _tokenValidator = value;
            }
        }
    }

    /// <summary><c>broker_type</c> handed out on activation.</summary>
    public string BrokerType
    {
        get
        {
            lock (_gate)
            {
                return _brokerType;
            }
        }

        set
        {
            lock (_gate)
            {
                _brokerType = value;
            }
        }
    }

    /// <summary><c>broker_address</c> handed out on activation.</summary>
    public string BrokerAddress
    {
        get
        {
            lock (_gate)
            {
                return _brokerAddress;
            }
        }

        set
        {
            lock (_gate)
            {
                _brokerAddress = value;
            }
        }
    }

    /// <summary>Starts a fresh fake of today's MQS (v1) on a free loopback port.</summary>
    public static Task<FakeMqs> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(MqsVersion.V1, cancellationToken);

    /// <summary>Starts a fresh fake of the given generation of the MQS on a free loopback port.</summary>
    public static async Task<FakeMqs> StartAsync(MqsVersion version, CancellationToken cancellationToken = default)
    {
        var fake = new FakeMqs(version);
        // The empty builder reads no appsettings or environment, so nothing can move the port or add endpoints.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        // Only the generation's own prefix is served, as each real MQS serves only its own.
        var prefix = version == MqsVersion.V1 ? "v1" : "v0";
        app.MapPost(ReservationRoute.Replace("{version}", prefix, StringComparison.Ordinal), fake.HandleReservationAsync);
        app.MapPost(ActivationRoute.Replace("{version}", prefix, StringComparison.Ordinal), fake.HandleActivationAsync);
        app.MapGet(PublicProfilesRoute.Replace("{version}", prefix, StringComparison.Ordinal), fake.HandlePublicProfilesAsync);
        if (version == MqsVersion.V1)
        {
            app.MapGet(ProfileRoute, fake.HandleProfileAsync);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Never started, so there is nothing to stop: just release it.
            await app.DisposeAsync().ConfigureAwait(false);
            fake._stopping.Dispose();
            throw;
        }

        fake._app = app;

        // Kestrel rewrites port 0 to the port it actually bound.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("the server does not report its addresses");
        var address = addresses.Addresses.First();
        fake.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    /// <summary>The first <paramref name="times"/> activation calls from now on (any workflow) answer try-again-later; then the previous policy applies.</summary>
    public void TryAgainLaterTimes(int times, int statusCode = 200)
    {
        var answer = ActivationOutcome.TryAgainLater(statusCode);
        var remaining = times;
        lock (_gate)
        {
            var previous = _activationPolicy;
            _activationPolicy = request => Interlocked.Decrement(ref remaining) >= 0 ? answer : previous(request);
        }
    }

    /// <summary>Every reservation from now on answers <paramref name="statusCode"/> and creates nothing.</summary>
    public void FailReservationsWith(int statusCode)
    {
        lock (_gate)
        {
            _reservationFailureStatus = statusCode;
        }
    }

    /// <summary>Reservations behave normally again.</summary>
    public void StopFailingReservations()
    {
        lock (_gate)
        {
            _reservationFailureStatus = null;
        }
    }

    /// <summary>
    /// Forgets all workflows and calls and restores the default behaviour (grant everything); the
    /// <see cref="TokenValidator"/> stays.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _calls.Clear();
            _grantedOrder.Clear();
            _groups.Clear();
            _attemptsByWorkflow.Clear();
            _activationPolicy = GrantAll;
            _reservationFailureStatus = null;
            _activationCalls = 0;
            _generation++;
            _brokerType = "rabbitmq";
            _brokerAddress = "localhost:5672";
            _tokenLifetime = DefaultTokenLifetime;
        }
    }

    /// <summary>Whether the workflow has been reserved here.</summary>
    public bool IsReserved(string workflowId)
    {
        lock (_gate)
        {
            return _groups.ContainsKey(workflowId);
        }
    }

    /// <summary>Whether the workflow's queues have been activated.</summary>
    public bool IsActivated(string workflowId)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(workflowId, out var group) && group.Profiles.Count > 0 && group.Profiles.All(p => p.IsActivated);
        }
    }

    /// <summary>The workflow's profiles in reservation order (empty when unknown).</summary>
    public IReadOnlyList<MqProfile> ProfilesOf(string workflowId)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(workflowId, out var group) ? group.Profiles.ToArray() : [];
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (true) or <paramref name="deadline"/> passes (false).</summary>
    public Task<bool> WaitForAsync(Func<FakeMqs, bool> condition, TimeSpan deadline, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(() => condition(this), deadline, cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Release hanging responses first so that shutdown does not wait for them.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private MqsCall[] CallsOf(MqsCallKind kind)
    {
        lock (_gate)
        {
            return _calls.Where(c => c.Kind == kind).ToArray();
        }
    }

    private async Task HandleReservationAsync(HttpContext context)
    {
        var workflowId = RouteWorkflowId(context);
        var (body, parseError) = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        var ticket = Record(context, MqsCallKind.Reservation, workflowId, body);
        if (await RefusedAsync(context, ticket, MqsRole.SystemWms).ConfigureAwait(false))
        {
            return;
        }

        List<string> aliases = [];
        HashSet<string> publicAliases = [];
        var error = parseError;
        if (error is null)
        {
            TryReadAliases(body, out aliases, out publicAliases, out error);
        }

        if (error is null && Version == MqsVersion.V1)
        {
            error = StrictReservationError(body!.AsObject(), aliases);
        }

        if (error is not null)
        {
            await AnswerErrorAsync(context, ticket, 400, error).ConfigureAwait(false);
            return;
        }

        int status;
        JsonObject answer;
        MqsCallOutcome outcome;
        lock (_gate)
        {
            if (_reservationFailureStatus is int failure)
            {
                (status, answer, outcome) = (failure, ErrorBody(failure, "reservation failed (programmed by the test)"), MqsCallOutcome.Error);
            }
            else if (_groups.TryGetValue(workflowId, out var existing) && Version == MqsVersion.V1)
            {
                // Since v1.0.2 the MQS answers a repeated reservation with what the first one made.
                (status, answer, outcome) = (200, GroupBody(existing), MqsCallOutcome.ReservationRepeated);
            }
            else if (_groups.ContainsKey(workflowId))
            {
                // The MQS of that era crashed on a second reservation for one workflow.
                (status, answer, outcome) = (500, ErrorBody(500, "Internal Server Error"), MqsCallOutcome.DuplicateReservation);
            }
            else
            {
                var group = new MqGroup(workflowId, NewId("MQG-"), Now());
                foreach (var alias in aliases)
                {
                    group.Profiles.Add(new MqProfile(
                        NewId("MQ-"), group.MqgroupId, workflowId, alias, publicAliases.Contains(alias),
                        IsActivated: false, AuthToken: null, BrokerType: null, BrokerAddress: null, Now()));
                }

                _groups[workflowId] = group;
                (status, answer, outcome) = (200, GroupBody(group), MqsCallOutcome.Reserved);
            }

            Complete(ticket, outcome, status);
        }

        await WriteJsonAsync(context, status, answer).ConfigureAwait(false);
    }

    private async Task HandleActivationAsync(HttpContext context)
    {
        var workflowId = RouteWorkflowId(context);
        var (body, parseError) = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        var ticket = Record(context, MqsCallKind.Activation, workflowId, body);
        if (await RefusedAsync(context, ticket, MqsRole.SystemWms).ConfigureAwait(false))
        {
            return;
        }

        var error = parseError ?? (Version == MqsVersion.V1 ? StrictActivationError(body) : null);
        if (error is not null)
        {
            await AnswerErrorAsync(context, ticket, 400, error).ConfigureAwait(false);
            return;
        }

        ActivationRequest? request = null;
        var policy = GrantAll;
        lock (_gate)
        {
            if (_groups.ContainsKey(workflowId))
            {
                _activationCalls++;
                var attempt = _attemptsByWorkflow[workflowId] = _attemptsByWorkflow.GetValueOrDefault(workflowId) + 1;
                request = new ActivationRequest(workflowId, ReadPriority(body), body?.DeepClone(), _activationCalls, attempt);
                policy = _activationPolicy;
            }
            else
            {
                Complete(ticket, MqsCallOutcome.NotFound, 404);
            }
        }

        if (request is null)
        {
            await WriteJsonAsync(context, 404, ErrorBody(404, $"no mq group found for workflow: {workflowId}")).ConfigureAwait(false);
            return;
        }

        // The policy is test code: run it outside the lock.
        var outcome = policy(request);
        if (outcome.Kind is ActivationOutcomeKind.Hang)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(outcome.Delay, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    Complete(ticket, MqsCallOutcome.Abandoned, 0);
                }

                // Drop the connection: returning normally would send an empty 200 to a still-waiting client.
                context.Abort();
                return;
            }

            outcome = outcome.Then ?? ActivationOutcome.Error(503);
        }

        int status;
        JsonNode answer;
        var reply = outcome.Kind;
        lock (_gate)
        {
            switch (outcome.Kind)
            {
                case ActivationOutcomeKind.Grant or ActivationOutcomeKind.GrantAnswering when !_groups.ContainsKey(workflowId):
                    // Reset() ran while this call was held back.
                    (status, answer, reply) = (404, ErrorBody(404, $"no mq group found for workflow: {workflowId}"), ActivationOutcomeKind.Error);
                    Complete(ticket, MqsCallOutcome.NotFound, status);
                    break;
                case ActivationOutcomeKind.Grant:
                    var group = _groups[workflowId];
                    Activate(group, request.Priority);
                    _grantedOrder.Add(workflowId);
                    (status, answer) = (200, GroupBody(group));
                    Complete(ticket, MqsCallOutcome.Granted, status);
                    break;
                case ActivationOutcomeKind.GrantAnswering:
                    var misdescribed = _groups[workflowId];
                    Activate(misdescribed, request.Priority);
                    (status, answer) = (200, GroupBody(misdescribed));
                    Complete(ticket, MqsCallOutcome.Misanswered, status);
                    break;
                case ActivationOutcomeKind.TryAgainLater:
                    (status, answer) = (outcome.StatusCode, new JsonObject { ["try_again_later"] = true });
                    Complete(ticket, MqsCallOutcome.TryAgainLater, status);
                    break;
                case ActivationOutcomeKind.Raw or ActivationOutcomeKind.Disconnect or ActivationOutcomeKind.CutShort:
                    (status, answer) = (outcome.StatusCode, new JsonObject());
                    Complete(ticket, MqsCallOutcome.Misanswered, status);
                    break;
                default:
                    (status, answer) = (outcome.StatusCode, ErrorBody(outcome.StatusCode, "activation failed (programmed by the test)"));
                    Complete(ticket, MqsCallOutcome.Error, status);
                    break;
            }
        }

        switch (reply)
        {
            case ActivationOutcomeKind.GrantAnswering:
                // The policy's rewrite is test code too: run it outside the lock.
                await WriteJsonAsync(context, status, outcome.Rewrite!((JsonObject)answer)).ConfigureAwait(false);
                break;
            case ActivationOutcomeKind.Raw:
                await WriteTextAsync(context, status, outcome.ContentType, outcome.Body!).ConfigureAwait(false);
                break;
            case ActivationOutcomeKind.Disconnect:
                context.Abort();
                break;
            case ActivationOutcomeKind.CutShort:
                await CutShortAsync(context).ConfigureAwait(false);
                break;
            default:
                await WriteJsonAsync(context, status, answer).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandlePublicProfilesAsync(HttpContext context)
    {
        var workflowId = RouteWorkflowId(context);
        var ticket = Record(context, MqsCallKind.PublicProfiles, workflowId, null);
        if (await RefusedAsync(context, ticket, MqsRole.User).ConfigureAwait(false))
        {
            return;
        }

        JsonObject answer;
        lock (_gate)
        {
            var profiles = new JsonArray();
            if (_groups.TryGetValue(workflowId, out var group))
            {
                foreach (var profile in group.Profiles.Where(p => p.IsPublic))
                {
                    profiles.Add(ProfileBody(profile));
                }
            }

            answer = new JsonObject { ["mqprofiles"] = profiles };
            Complete(ticket, MqsCallOutcome.Listed, 200);
        }

        await WriteJsonAsync(context, 200, answer).ConfigureAwait(false);
    }

    private async Task HandleProfileAsync(HttpContext context)
    {
        var mqid = context.Request.RouteValues["mqid"] as string ?? "";
        var ticket = Record(context, MqsCallKind.Profile, "", null, mqid);
        if (await RefusedAsync(context, ticket, MqsRole.SystemWms).ConfigureAwait(false))
        {
            return;
        }

        JsonObject answer;
        int status;
        lock (_gate)
        {
            // The token is answered as it was stored at the last activation: a read mints nothing.
            var profile = _groups.Values.SelectMany(g => g.Profiles).FirstOrDefault(p => p.Mqid == mqid);
            (status, answer) = profile is null ? (404, ErrorBody(404, "MQProfile not found")) : (200, ProfileBody(profile));
            Complete(ticket, profile is null ? MqsCallOutcome.NotFound : MqsCallOutcome.Read, status);
        }

        await WriteJsonAsync(context, status, answer).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the call was refused for its token, as the real MQS refuses it (403, the call recorded as such); false
    /// when roles are not checked or the token holds <paramref name="required"/>.
    /// </summary>
    private async Task<bool> RefusedAsync(HttpContext context, CallTicket ticket, MqsRole required)
    {
        var validator = TokenValidator;
        if (validator is null)
        {
            return false;
        }

        var identity = BearerToken(context.Request) is { } token ? await ValidateAsync(validator, token).ConfigureAwait(false) : null;
        var (outcome, reason) = identity is null
            ? (MqsCallOutcome.AuthenticationFailed, "authentication failed")
            : MqsRoleRules.Holds(identity, required)
                ? (MqsCallOutcome.Pending, "")
                : (MqsCallOutcome.AuthorizationFailed, "authorization failed");
        if (outcome is MqsCallOutcome.Pending)
        {
            return false;
        }

        lock (_gate)
        {
            Complete(ticket, outcome, 403);
        }

        await WriteJsonAsync(context, 403, ErrorBody(403, reason)).ConfigureAwait(false);
        return true;
    }

    /// <summary>A validator that throws on a malformed token has refused it.</summary>
    private static async Task<ClaimsIdentity?> ValidateAsync(Func<string, Task<ClaimsIdentity?>> validator, string token)
    {
        try
        {
            return await validator(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string? BearerToken(HttpRequest request)
    {
        const string scheme = "Bearer ";
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && authorization[scheme.Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    // Caller holds the lock. On v0 re-activating keeps the tokens already handed out; on v1 every activation mints
    // a new token for every queue of the group, as the MQS of today does.
    private void Activate(MqGroup group, int? priority)
    {
        group.Criteria = new JsonObject { ["priority"] = priority };
        var now = _clock.GetUtcNow();
        for (var i = 0; i < group.Profiles.Count; i++)
        {
            var profile = group.Profiles[i];
            if (Version == MqsVersion.V1 || !profile.IsActivated)
            {
                group.Profiles[i] = profile with
                {
                    IsActivated = true,
                    AuthToken = Version == MqsVersion.V1 ? JwtToken(profile.Mqid, now, _tokenLifetime) : RandomToken(),
                    BrokerType = _brokerType,
                    BrokerAddress = _brokerAddress,
                };
            }
        }
    }

    private CallTicket Record(HttpContext context, MqsCallKind kind, string workflowId, JsonNode? body, string? mqid = null)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        lock (_gate)
        {
            var call = new MqsCall(_calls.Count, kind, workflowId, body,
                authorization.Length == 0 ? null : authorization, DateTimeOffset.UtcNow, MqsCallOutcome.Pending, 0)
            {
                Mqid = mqid,
            };
            _calls.Add(call);
            return new CallTicket(_generation, call.Sequence);
        }
    }

    // Caller holds the lock.
    private void Complete(CallTicket ticket, MqsCallOutcome outcome, int status)
    {
        if (ticket.Generation == _generation && _calls[ticket.Sequence].Outcome is MqsCallOutcome.Pending)
        {
            _calls[ticket.Sequence] = _calls[ticket.Sequence] with { Outcome = outcome, StatusCode = status };
        }
    }

    private async Task AnswerErrorAsync(HttpContext context, CallTicket ticket, int status, string reason)
    {
        lock (_gate)
        {
            Complete(ticket, MqsCallOutcome.Error, status);
        }

        await WriteJsonAsync(context, status, ErrorBody(status, reason)).ConfigureAwait(false);
    }

    private static string RouteWorkflowId(HttpContext context) =>
        context.Request.RouteValues["workflow_id"] as string ?? "";

    private static async Task<(JsonNode? Body, string? Error)> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "request body is empty");
        }

        try
        {
            return (JsonNode.Parse(text), null);
        }
        catch (JsonException e)
        {
            return (null, $"request body is not JSON: {e.Message}");
        }
    }

    private static bool TryReadAliases(JsonNode? body, out List<string> aliases, out HashSet<string> publicAliases, out string? error)
    {
        aliases = [];
        publicAliases = new HashSet<string>(StringComparer.Ordinal);
        error = null;
        if (body is not JsonObject obj || !TryReadStrings(obj["queue_aliases"], aliases))
        {
            error = "'queue_aliases' must be a list of strings";
            return false;
        }

        var publicList = new List<string>();
        if (obj.ContainsKey("public") && !TryReadStrings(obj["public"], publicList))
        {
            error = "'public' must be a list of strings";
            return false;
        }

        publicAliases.UnionWith(publicList);
        return true;
    }

    /// <summary>MQS v1.1.1's reservation schema: exactly <c>queue_aliases</c> (at least one) and <c>public</c>.</summary>
    private static string? StrictReservationError(JsonObject body, List<string> aliases)
    {
        if (body.Select(p => p.Key).FirstOrDefault(k => k is not ("queue_aliases" or "public")) is { } extra)
        {
            return $"Additional properties are not allowed ('{extra}' was unexpected)";
        }

        if (!body.ContainsKey("public"))
        {
            return "'public' is a required property";
        }

        return aliases.Count == 0 ? "'queue_aliases' should be non-empty" : null;
    }

    /// <summary>MQS v1.1.1's activation schema: exactly <c>criteria</c>, an object or null.</summary>
    private static string? StrictActivationError(JsonNode? body)
    {
        if (body is not JsonObject obj)
        {
            return "request body must be an object";
        }

        if (obj.Select(p => p.Key).FirstOrDefault(k => k != "criteria") is { } extra)
        {
            return $"Additional properties are not allowed ('{extra}' was unexpected)";
        }

        if (!obj.TryGetPropertyValue("criteria", out var criteria))
        {
            return "'criteria' is a required property";
        }

        return criteria is null or JsonObject ? null : "'criteria' must be an object or null";
    }

    private static bool TryReadStrings(JsonNode? node, List<string> into)
    {
        if (node is not JsonArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (item is not JsonValue value || value.GetValueKind() is not JsonValueKind.String)
            {
                return false;
            }

            into.Add(value.GetValue<string>());
        }

        return true;
    }

    private static int? ReadPriority(JsonNode? body) =>
        body?["criteria"]?["priority"] is JsonValue v
        && v.GetValueKind() is JsonValueKind.Number
        && int.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority)
            ? priority
            : null;

    private JsonObject GroupBody(MqGroup group)
    {
        var profiles = new JsonArray();
        foreach (var profile in group.Profiles)
        {
            profiles.Add(ProfileBody(profile));
        }

        return new JsonObject
        {
            ["mqgroup"] = new JsonObject
            {
                ["mqgroup_id"] = group.MqgroupId,
                ["workflow_id"] = group.WorkflowId,
                ["criteria"] = group.Criteria.DeepClone(),
                ["timestamp"] = group.Timestamp,
            },
            ["mqprofiles"] = profiles,
        };
    }

    /// <summary>
    /// A profile as the MQS answers it: on v1 exactly the nine keys of its <c>MQProfileObject</c>, in its order; on v0
    /// the group id too.
    /// </summary>
    private JsonObject ProfileBody(MqProfile p) => Version == MqsVersion.V1
        ? new JsonObject
        {
            ["mqid"] = p.Mqid,
            ["workflow_id"] = p.WorkflowId,
            ["timestamp"] = p.Timestamp,
            ["alias"] = p.Alias,
            ["is_public"] = p.IsPublic,
            ["is_activated"] = p.IsActivated,
            ["auth_token"] = p.AuthToken,
            ["broker_type"] = p.BrokerType,
            ["broker_address"] = p.BrokerAddress,
        }
        : new JsonObject
        {
            ["mqid"] = p.Mqid,
            ["mqgroup_id"] = p.MqgroupId,
            ["workflow_id"] = p.WorkflowId,
            ["alias"] = p.Alias,
            ["is_public"] = p.IsPublic,
            ["is_activated"] = p.IsActivated,
            ["auth_token"] = p.AuthToken,
            ["broker_type"] = p.BrokerType,
            ["broker_address"] = p.BrokerAddress,
            ["timestamp"] = p.Timestamp,
        };

    private static JsonObject ErrorBody(int status, string reason) => new() { ["code"] = status, ["error"] = reason };

    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode body) =>
        WriteTextAsync(context, status, "application/json", body.ToJsonString());

    private static async Task WriteTextAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Promises a whole answer, sends half of it, and hangs up.</summary>
    private static async Task CutShortAsync(HttpContext context)
    {
        var half = Encoding.UTF8.GetBytes("""{"mqgroup": {"mqgroup_id": "MQG-cut", "workflow_id": """);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = half.Length * 2;
        await context.Response.Body.WriteAsync(half, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    // Caller holds the lock.
    private double Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// A token shaped as the real MQS's (a JWT whose <c>exp</c> says when it expires), signed with nothing anyone
    /// checks: the signature part is random.
    /// </summary>
    private static string JwtToken(string mqid, DateTimeOffset now, TimeSpan lifetime)
    {
        var issued = now.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["sub"] = mqid,
            ["iat"] = issued,
            ["exp"] = issued + (long)lifetime.TotalSeconds,
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "."
            + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString())) + "."
            + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Identifies a recorded call across Reset(): its index is only meaningful in its generation.</summary>
    private readonly record struct CallTicket(int Generation, int Sequence);

    /// <summary>Mutable per-workflow state; only touched under the lock.</summary>
    private sealed class MqGroup(string workflowId, string mqgroupId, double timestamp)
    {
        public string WorkflowId { get; } = workflowId;

        public string MqgroupId { get; } = mqgroupId;

        public double Timestamp { get; } = timestamp;

        public JsonObject Criteria { get; set; } = [];

        public List<MqProfile> Profiles { get; } = [];
    }
}
