using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization.Invocation;
using Wms.Api.Errors;
using Wms.GrainInterfaces.Grains;

namespace Wms.Api.Tests.Faults;

/// <summary>
/// The API's grain calls are sent once more when their failure proves they never reached their grain, whether the
/// failure came as the call's answer or was thrown; never when the grain may have run, never twice, and never for a
/// grain's own onward calls or Orleans' calls. A call that could not reach its silo at all is sent again only once
/// a silo has left the cluster since, or the wait for that is over.
/// </summary>
public sealed class UndeliveredCallRetryTests
{
    private static readonly MethodInfo ServiceMethod = typeof(IWorkflowGrain).GetMethod(nameof(IWorkflowGrain.CreateAsync))!;

    private readonly UndeliveredCallRetry _retry = new(NullLogger<UndeliveredCallRetry>.Instance);

    [Fact]
    public async Task ACallRejectedBeforeItsGrainIsSentOnceMoreAndAnsweredByTheSecond()
    {
        var call = new ScriptedCall(ServiceMethod, Answer(OrleansFailures.Rejection()), Answer(null));

        await _retry.Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.Null(call.Response!.Exception);
    }

    [Fact]
    public async Task ACallRefusedForASiloKnownDeadIsSentOnceMore()
    {
        var call = new ScriptedCall(ServiceMethod, Answer(OrleansFailures.KnownDead()), Answer(null));

        await _retry.Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.Null(call.Response!.Exception);
    }

    [Fact]
    public async Task AThrownRejectionIsSentOnceMoreToo()
    {
        var call = new ScriptedCall(ServiceMethod, Throw(OrleansFailures.Rejection()), Answer(null));

        await _retry.Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.Null(call.Response!.Exception);
    }

    [Fact]
    public async Task ACallRejectedTwiceIsAnsweredWithTheSecondRejection()
    {
        var second = OrleansFailures.Rejection("second");
        var call = new ScriptedCall(ServiceMethod, Answer(OrleansFailures.Rejection("first")), Answer(second));

        await _retry.Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.Same(second, call.Response!.Exception);
    }

    [Fact]
    public async Task ACallWhoseGrainMayHaveRunIsNotSentAgain()
    {
        var died = OrleansFailures.DiedWhileWaiting();
        var call = new ScriptedCall(ServiceMethod, Answer(died), Answer(null));

        await _retry.Invoke(call);

        Assert.Equal(1, call.Sends);
        Assert.Same(died, call.Response!.Exception);
    }

    [Fact]
    public async Task AThrownFailureThatIsNoProofIsPassedOnAsItCame()
    {
        var timeout = new TimeoutException("Response did not arrive on time");
        var call = new ScriptedCall(ServiceMethod, Throw(timeout), Answer(null));

        Assert.Same(timeout, await Assert.ThrowsAsync<TimeoutException>(() => _retry.Invoke(call)));
        Assert.Equal(1, call.Sends);
    }

    [Fact]
    public async Task AGrainsOnwardCallIsLeftToOrleans()
    {
        var call = new ScriptedCall(ServiceMethod, Answer(OrleansFailures.Rejection()), Answer(null))
        {
            SourceContext = DispatchProxy.Create<IGrainContext, AnyGrainContext>(),
        };

        await _retry.Invoke(call);

        Assert.Equal(1, call.Sends);
    }

    [Fact]
    public async Task OrleansOwnCallsAreLeftToOrleans()
    {
        var method = typeof(IRemindable).GetMethods()[0];
        var call = new ScriptedCall(method, Answer(OrleansFailures.Rejection()), Answer(null));

        await _retry.Invoke(call);

        Assert.Equal(1, call.Sends);
    }

    [Fact]
    public async Task ACallThatCouldNotReachItsSiloIsSentAgainOnlyOnceASiloHasLeft()
    {
        var membership = new ScriptedMembership(version: 7);
        var versionsSeen = new List<long>();
        var call = new ScriptedCall(ServiceMethod,
            () => { versionsSeen.Add(membership.Version); return Response.FromException(OrleansFailures.Unreachable()); },
            () => { versionsSeen.Add(membership.Version); return Response.Completed; });
        var retry = new UndeliveredCallRetry(NullLogger<UndeliveredCallRetry>.Instance, membership);

        var sending = retry.Invoke(call);
        await membership.Waited.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, call.Sends);
        membership.Change();
        await sending;

        Assert.Equal([7L, 8L], versionsSeen);
        Assert.Null(call.Response!.Exception);
    }

    [Fact]
    public async Task ACallThatCouldNotReachItsSiloIsSentAgainAtOnceWhenTheMembershipChangedMeanwhile()
    {
        var membership = new ScriptedMembership(version: 7);
        // The silo was declared dead while the first send failed.
        var call = new ScriptedCall(ServiceMethod,
            () => { membership.Change(); return Response.FromException(OrleansFailures.Unreachable()); },
            () => Response.Completed);

        await new UndeliveredCallRetry(NullLogger<UndeliveredCallRetry>.Instance, membership).Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.False(membership.Waited.Task.IsCompleted);
        Assert.Null(call.Response!.Exception);
    }

    [Fact]
    public async Task ACallThatCouldNotReachItsSiloIsSentAgainWhenTheWaitForASiloToLeaveIsOver()
    {
        var membership = new ScriptedMembership(version: 7) { NeverChanges = true };
        var second = OrleansFailures.Unreachable();
        var call = new ScriptedCall(ServiceMethod, Answer(OrleansFailures.Unreachable()), Answer(second));

        await new UndeliveredCallRetry(NullLogger<UndeliveredCallRetry>.Instance, membership).Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.True(membership.Waited.Task.IsCompleted);
        Assert.Same(second, call.Response!.Exception);
    }

    [Fact]
    public async Task ARejectionByAReachableSiloIsSentAgainWithoutWaiting()
    {
        var membership = new ScriptedMembership(version: 7);
        var call = new ScriptedCall(ServiceMethod, Answer(OrleansFailures.Rejection()), Answer(null));

        await new UndeliveredCallRetry(NullLogger<UndeliveredCallRetry>.Instance, membership).Invoke(call);

        Assert.Equal(2, call.Sends);
        Assert.False(membership.Waited.Task.IsCompleted);
    }

    private static Func<Response> Answer(Exception? failure) =>
        () => failure is null ? Response.Completed : Response.FromException(failure);

    private static Func<Response> Throw(Exception failure) => () => throw failure;

    /// <summary>An outgoing call whose sends are answered (or thrown) as scripted, one script step per send.</summary>
    private sealed class ScriptedCall(MethodInfo method, params Func<Response>[] sends) : IOutgoingGrainCallContext
    {
        public int Sends { get; private set; }

        public IGrainContext? SourceContext { get; init; }

        public Response? Response { get; set; }

        public MethodInfo InterfaceMethod => method;

        public object? Result { get => Response?.Result; set => Response = Response.FromResult(value); }

        public object Grain => null!;

        public GrainId? SourceId => SourceContext?.GrainId;

        public GrainId TargetId => GrainId.Create("workflow", "WF-1");

        public GrainInterfaceType InterfaceType => default;

        public string InterfaceName => method.DeclaringType!.Name;

        public string MethodName => method.Name;

        public IInvokable Request => null!;

        public Task Invoke()
        {
            Response = sends[Sends++]();
            return Task.CompletedTask;
        }
    }

    /// <summary>A cluster's membership where a silo goes when the test says so.</summary>
    private sealed class ScriptedMembership(long version) : IMembershipChanges
    {
        private readonly TaskCompletionSource<bool> _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completed once the retry has begun to wait for a change.</summary>
        public TaskCompletionSource Waited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The wait ends at once, without a change.</summary>
        public bool NeverChanges { get; init; }

        public long Version { get; private set; } = version;

        public void Change()
        {
            Version++;
            _changed.TrySetResult(true);
        }

        public Task<bool> SiloGoneAsync(long seen)
        {
            Waited.TrySetResult();
            return NeverChanges ? Task.FromResult(false) : Version > seen ? Task.FromResult(true) : _changed.Task;
        }
    }

    /// <summary>Any grain's context: the retry only asks whether there is one.</summary>
    public class AnyGrainContext : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => null;
    }
}
