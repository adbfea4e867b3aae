using System.Buffers;
using Wms.Api.Http1;

namespace Wms.Api.Tests.Http1;

/// <summary>The judge's verdict on a whole head, in the terms of a server's outcome.</summary>
public static class Judged
{
    public static ServerOutcome Outcome(RequestHeadLimits limits, byte[] head) =>
        Outcome(new RequestHeadJudge(limits).Examine(new ReadOnlySequence<byte>(head), isCompleted: false));

    public static ServerOutcome Outcome(HeadVerdict verdict) => verdict.Outcome switch
    {
        HeadOutcome.Pass => ServerOutcome.Passed,
        HeadOutcome.Refuse => ServerOutcome.Refused(verdict.Status),
        _ => ServerOutcome.Waiting,
    };
}
