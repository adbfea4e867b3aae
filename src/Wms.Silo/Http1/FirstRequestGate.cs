using System.Buffers;
using System.IO.Pipelines;
using Wms.Api.Http1;

namespace Wms.Silo.Http1;

/// <summary>
/// The connection's input as the HTTP server reads it, with the head of the first request judged before the server
/// sees any of it. The server's first read waits here until <see cref="RequestHeadJudge"/> has a verdict, reading
/// ahead without consuming: a head that passes is handed over whole, as the server would have read it, and from then
/// on every call goes straight through. A head the server would refuse with a bare status is answered here in the
/// contract's error body, and the server is told the client has gone, so that it ends the connection without a word.
/// </summary>
/// <remarks>
/// The server's own clock keeps running meanwhile: its keep-alive timeout (no request yet) and a stop of the server
/// cancel the pending read, and the server then closes the connection as before. Its header timeout, which starts
/// only when it sees a request begin, is kept here instead, from the request's first byte.
/// </remarks>
public sealed partial class FirstRequestGate(
    PipeReader input, PipeWriter output, RequestHeadJudge judge, GateSettings settings, string connectionId) : PipeReader
{
    private Stage _stage;

    /// <summary>The last result handed to the server was made here: its positions belong to no buffer of the input.</summary>
    private bool _madeHere;

    private enum Stage
    {
        Judging,
        Passing,
        Refused,
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => _stage switch
    {
        Stage.Passing => input.ReadAsync(cancellationToken),
        Stage.Refused => new(Gone()),
        _ => JudgeAsync(cancellationToken),
    };

    public override bool TryRead(out ReadResult result)
    {
        switch (_stage)
        {
            case Stage.Passing:
                return input.TryRead(out result);
            case Stage.Refused:
                result = Gone();
                return true;
            default:
                // Nothing is handed over before the verdict.
                result = default;
                return false;
        }
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        if (!ForgetMadeHere())
        {
            input.AdvanceTo(consumed);
        }
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!ForgetMadeHere())
        {
            input.AdvanceTo(consumed, examined);
        }
    }

    public override void CancelPendingRead() => input.CancelPendingRead();

    public override void Complete(Exception? exception = null) => input.Complete(exception);

    private async ValueTask<ReadResult> JudgeAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? deadline = null;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(deadline?.Token ?? cancellationToken);
                }
                catch (OperationCanceledException) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
                {
                    return await RefuseAsync(HeadRefusals.HeadersTimedOut);
                }
                var buffer = result.Buffer;
                var verdict = Judge(buffer, result.IsCompleted);
                // (An input that has ended always gets a verdict; should it not, the server has it as it is.)
                if (verdict.Outcome == HeadOutcome.Pass || (verdict.Outcome == HeadOutcome.NeedMore && result.IsCompleted))
                {
                    _stage = Stage.Passing;
                    return result;
                }
                if (verdict.Outcome == HeadOutcome.Refuse)
                {
                    input.AdvanceTo(buffer.End);
                    return await RefuseAsync(verdict);
                }
                // Keep it all, but wait for more than this.
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCanceled)
                {
                    // The server stopped waiting (its keep-alive timeout, or it is stopping): it gets no request.
                    _madeHere = true;
                    return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: true, isCompleted: false);
                }
                if (deadline is null && judge.HasStarted)
                {
                    deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(settings.HeadersTimeout);
                }
            }
        }
        finally
        {
            deadline?.Dispose();
        }
    }

    /// <summary>The judge's verdict; should the judge fail, the server judges the request itself, as it always did.</summary>
    private HeadVerdict Judge(in ReadOnlySequence<byte> buffer, bool isCompleted)
    {
        try
        {
            return judge.Examine(buffer, isCompleted);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            LogJudgeFailed(settings.Log, e, connectionId);
            return HeadVerdict.Pass;
        }
    }

    private async ValueTask<ReadResult> RefuseAsync(HeadVerdict verdict)
    {
        _stage = Stage.Refused;
        LogRefused(settings.Log, connectionId, verdict.Status, verdict.Error);
        try
        {
            await output.WriteAsync(RefusalAnswer.Bytes(verdict.Status, verdict.Error, settings.Time.GetUtcNow()));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client went away first: nobody to answer.
        }
        return Gone();
    }

    /// <summary>An input that has ended with nothing in it: the server closes the connection quietly.</summary>
    private ReadResult Gone()
    {
        _madeHere = true;
        return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
    }

    private bool ForgetMadeHere()
    {
        var madeHere = _madeHere;
        _madeHere = false;
        return madeHere;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId}: first request refused with {Status} ({Error})")]
    private static partial void LogRefused(ILogger logger, string connectionId, int status, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Connection {ConnectionId}: the first request could not be judged; the HTTP server reads it as it is")]
    private static partial void LogJudgeFailed(ILogger logger, Exception error, string connectionId);
}
