namespace Wms.Api.Http1;

/// <summary>What <see cref="RequestHeadJudge"/> made of a request head so far.</summary>
public enum HeadOutcome
{
    /// <summary>Nothing wrong yet, but the head is not complete: wait for more.</summary>
    NeedMore,

    /// <summary>The server will read this head as it reads any other: hand it over.</summary>
    Pass,

    /// <summary>The server would refuse this head without a body: answer it here instead.</summary>
    Refuse,
}
