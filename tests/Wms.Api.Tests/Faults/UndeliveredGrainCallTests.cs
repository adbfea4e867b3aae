using Npgsql;
using Wms.Api.Errors;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Tests.Faults;

/// <summary>
/// Which failures of a grain call prove that its grain never ran it, and so may be sent again, writes included:
/// Orleans' rejections of the call itself, and nothing that may have run.
/// </summary>
public sealed class UndeliveredGrainCallTests
{
    [Fact]
    public void ARejectionOfTheCallItselfIsProof() =>
        Assert.True(UndeliveredGrainCall.IsProven(OrleansFailures.Rejection()));

    [Fact]
    public void ARefusalToSendToASiloKnownDeadIsProof() =>
        Assert.True(UndeliveredGrainCall.IsProven(OrleansFailures.KnownDead()));

    [Fact]
    public void AGatewayThatShedTheCallIsProof() =>
        Assert.True(UndeliveredGrainCall.IsProven(new GatewayTooBusyException()));

    [Fact]
    public void ARejectionForASiloThatCannotBeReachedIsProofAndSaysSo()
    {
        Assert.True(UndeliveredGrainCall.IsProven(OrleansFailures.Unreachable()));
        Assert.True(UndeliveredGrainCall.IsUnreachableSilo(OrleansFailures.Unreachable()));
    }

    public static TheoryData<string, Exception?> ReachableOrUnknown() => new()
    {
        { "a stopping silo's rejection", OrleansFailures.Rejection() },
        { "a silo known dead", OrleansFailures.KnownDead() },
        { "the target silo died while the call waited", OrleansFailures.DiedWhileWaiting() },
        { "no answer in time", new TimeoutException("Response did not arrive on time") },
        { "no failure", null },
    };

    [Theory]
    [MemberData(nameof(ReachableOrUnknown))]
    public void NoOtherFailureSaysTheSiloCannotBeReached(string what, Exception? failure) =>
        Assert.False(UndeliveredGrainCall.IsUnreachableSilo(failure), what);

    public static TheoryData<string, Exception?> MayHaveRun() => new()
    {
        { "the target silo died while the call waited", OrleansFailures.DiedWhileWaiting() },
        { "this silo broke its outstanding calls", OrleansFailures.LocalHostShuttingDown() },
        { "a silo unavailable for any other reason", new SiloUnavailableException("something else") },
        { "no answer in time", new TimeoutException("Response did not arrive on time") },
        { "a grain's onward call rejected", new OnwardCallFailedException("onward", OrleansFailures.Rejection()) },
        { "the database", new NpgsqlException("connection refused") },
        { "the MQS", new MqsException("down") },
        { "a fault of the service", new InvalidOperationException("a bug") },
        { "several at once", new AggregateException(OrleansFailures.Rejection()) },
        { "no failure", null },
    };

    [Theory]
    [MemberData(nameof(MayHaveRun))]
    public void AFailureAfterWhichTheGrainMayHaveRunIsNoProof(string what, Exception? failure) =>
        Assert.False(UndeliveredGrainCall.IsProven(failure), what);
}
