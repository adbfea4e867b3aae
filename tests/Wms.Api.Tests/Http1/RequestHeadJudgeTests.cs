using System.Buffers;
using Wms.Api.Http1;
using Wms.Api.Security;

namespace Wms.Api.Tests.Http1;

/// <summary>
/// The judge reads a head the same whatever pieces it arrives in: each line is judged once it is complete, a bad
/// line is refused as soon as it is, and nothing passes before the blank line.
/// </summary>
public sealed class RequestHeadJudgeTests
{
    private static readonly RequestHeadLimits Limits = new(
        RequestLimits.ServerRequestLineBytes, RequestLimits.ServerHeaderBytes, 100, AllowHostHeaderOverride: false, HeaderValuesAsUtf8: true);

    /// <summary>The corpus's heads small enough to split at every byte.</summary>
    public static TheoryData<string> SmallHeads() => [.. HeadCorpus.Cases.Where(c => c.Text.Length < 4096).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(SmallHeads))]
    public void AHeadInTwoReadsGetsTheVerdictItGetsWhole(string name)
    {
        var head = HeadCorpus.Cases.Single(c => c.Name == name).Bytes;
        var whole = Judged.Outcome(Limits, head);
        for (var split = 1; split < head.Length; split++)
        {
            var judge = new RequestHeadJudge(Limits);
            var first = Judged.Outcome(judge.Examine(new ReadOnlySequence<byte>(head, 0, split), isCompleted: false));
            if (first != ServerOutcome.Waiting)
            {
                // An early verdict must be the final one: a refusal of a line already complete.
                Assert.True(first == whole, $"after {split} bytes: {first}, whole: {whole}");
                continue;
            }
            Assert.Equal(whole, Judged.Outcome(judge.Examine(new ReadOnlySequence<byte>(head), isCompleted: false)));
        }
    }

    [Theory]
    [MemberData(nameof(SmallHeads))]
    public void AHeadInManySegmentsGetsTheVerdictItGetsInOne(string name)
    {
        var head = HeadCorpus.Cases.Single(c => c.Name == name).Bytes;
        var random = new Random(head.Length);

        var segmented = Segments.Of(head, () => random.Next(1, 6));

        Assert.Equal(Judged.Outcome(Limits, head), Judged.Outcome(new RequestHeadJudge(Limits).Examine(segmented, isCompleted: false)));
    }

    [Fact]
    public void AHeadAtTheLimitsIsJudgedTheSameInSegments()
    {
        foreach (var head in HeadCorpus.Cases.Where(c => c.Text.Length >= 4096))
        {
            var segmented = Segments.Of(head.Bytes, () => 4096);
            Assert.Equal(head.Expected, Judged.Outcome(new RequestHeadJudge(Limits).Examine(segmented, isCompleted: false)));
        }
    }

    [Fact]
    public void ABadRequestLineIsRefusedBeforeTheHeadersArrive()
    {
        var verdict = new RequestHeadJudge(Limits).Examine(Sequence("GET  /x HTTP/1.1\r\n"), isCompleted: false);

        Assert.Equal(HeadRefusals.MalformedRequestLine, verdict);
    }

    [Fact]
    public void ABadHeaderLineIsRefusedBeforeTheBlankLine()
    {
        var verdict = new RequestHeadJudge(Limits).Examine(Sequence("GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n"), isCompleted: false);

        Assert.Equal(HeadRefusals.MalformedHeader, verdict);
    }

    [Fact]
    public void AHeadCutShortByTheClientIsRefused()
    {
        Assert.Equal(HeadRefusals.IncompleteRequestLine, new RequestHeadJudge(Limits).Examine(Sequence("GET / HT"), isCompleted: true));
        Assert.Equal(HeadRefusals.IncompleteHeaders,
            new RequestHeadJudge(Limits).Examine(Sequence("GET / HTTP/1.1\r\nHost: a\r\n"), isCompleted: true));
        // Nothing, or only line breaks, before the end is no request at all: the server closes quietly.
        Assert.Equal(HeadVerdict.Pass, new RequestHeadJudge(Limits).Examine(Sequence("\r\n"), isCompleted: true));
    }

    [Fact]
    public void TheHttp2PrefaceIsLetThroughAsItArrives()
    {
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        var judge = new RequestHeadJudge(Limits);

        Assert.Equal(HeadVerdict.NeedMore, judge.Examine(Sequence(preface[..16]), isCompleted: false));
        Assert.Equal(HeadVerdict.Pass, judge.Examine(Sequence(preface + "\0\0\0\u0004"), isCompleted: false));
        // Not the preface after all: an HTTP/1 request line with version 2.0.
        Assert.Equal(HeadRefusals.UnsupportedVersion,
            new RequestHeadJudge(Limits).Examine(Sequence("PRI * HTTP/2.0\r\nHost: a\r\n\r\n"), isCompleted: false));
    }

    [Fact]
    public void AnAbsoluteTargetMayNameAnotherHostWhenTheServerAllowsIt()
    {
        var head = Sequence("GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(HeadRefusals.InvalidHost, new RequestHeadJudge(Limits).Examine(head, isCompleted: false));
        Assert.Equal(HeadVerdict.Pass, new RequestHeadJudge(Limits with { AllowHostHeaderOverride = true }).Examine(head, isCompleted: false));
    }

    [Fact]
    public void HeaderValuesAreLeftUnjudgedWhenTheServerReadsThemInAnotherEncoding()
    {
        var head = Sequence("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\r\n\r\n");

        Assert.Equal(HeadRefusals.MalformedHeader, new RequestHeadJudge(Limits).Examine(head, isCompleted: false));
        Assert.Equal(HeadVerdict.Pass, new RequestHeadJudge(Limits with { HeaderValuesAsUtf8 = false }).Examine(head, isCompleted: false));
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(RawHttp.Bytes(text));
}
