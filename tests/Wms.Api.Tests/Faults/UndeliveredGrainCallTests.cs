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
