using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>Which MQS endpoint a recorded call hit.</summary>
public enum MqsCallKind
{
    Reservation,
    Activation,
    PublicProfiles,

    /// <summary>One queue's profile read by its id (MQS v1 only).</summary>
    Profile,
}

/// <summary>How <see cref="FakeMqs"/> answered a recorded call.</summary>
public enum MqsCallOutcome
{
    /// <summary>Still being handled (e.g. a hanging activation).</summary>
    Pending,

    /// <summary>Reservation created the workflow's queues.</summary>
    Reserved,

    /// <summary>A repeated reservation answered with the group already made (MQS v1).</summary>
    ReservationRepeated,

    /// <summary>A second reservation for an already reserved workflow (answered 500, like the MQS of that era).</summary>
    DuplicateReservation,

    /// <summary>Activation granted: profiles now carry token and broker fields.</summary>
    Granted,

    /// <summary>Activation answered with <c>{"try_again_later": true}</c>.</summary>
    TryAgainLater,

    /// <summary>Answered with an error status chosen by the test (or a malformed request).</summary>
    Error,

    /// <summary>Activation for a workflow that was never reserved, or a profile read of an unknown queue (404).</summary>
    NotFound,

    /// <summary>The client gave up (or the server stopped) while the response was being delayed.</summary>
    Abandoned,

    /// <summary>Public profiles listed.</summary>
    Listed,

    /// <summary>One queue's profile answered.</summary>
    Read,

    /// <summary>
    /// Activation answered as the test programmed it, with something other than a proper answer: a raw body, a
    /// rewritten grant, or a connection closed early.
    /// </summary>
    Misanswered,

    /// <summary>Roles are checked and the call had no token, or one the validator refused (403).</summary>
    AuthenticationFailed,

    /// <summary>Roles are checked and the token is valid but lacks the route's role (403).</summary>
    AuthorizationFailed,
}

/// <summary>One request received by <see cref="FakeMqs"/>, in arrival order.</summary>
/// <param name="Sequence">0-based arrival index across all calls.</param>
/// <param name="Kind">Endpoint hit.</param>
/// <param name="WorkflowId">The <c>{workflow_id}</c> route value; empty for a profile read, whose route has none.</param>
/// <param name="Body">Parsed request body (null for GET or an empty body).</param>
/// <param name="Authorization">The raw <c>Authorization</c> header, or null when absent.</param>
/// <param name="ReceivedAt">Arrival time.</param>
/// <param name="Outcome">How it was answered (<see cref="MqsCallOutcome.Pending"/> while in flight).</param>
/// <param name="StatusCode">HTTP status sent (0 while in flight or abandoned).</param>
public sealed record MqsCall(
    int Sequence,
    MqsCallKind Kind,
    string WorkflowId,
    JsonNode? Body,
    string? Authorization,
    DateTimeOffset ReceivedAt,
    MqsCallOutcome Outcome,
    int StatusCode)
{
    /// <summary>The <c>{mqid}</c> route value of a profile read; null for other calls.</summary>
    public string? Mqid { get; init; }
}
