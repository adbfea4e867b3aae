using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Cluster;

[Collection(FastClusterCollection.Name)]
public sealed class IdempotencyGrainTests(FastCluster cluster)
{
    [Fact]
    public async Task ARetryAfterAFailedReservationCreatesUnderAFreshIdAndLaterRetriesAnswerIt()
    {
        var alias = "q-" + Guid.NewGuid().ToString("N")[..8];
        var key = cluster.Client.GetGrain<IIdempotencyGrain>("IK-" + Guid.NewGuid().ToString("N"));
        var spec = Build.Workflow(Build.Task([Build.Alpha], inputs: [alias], outputs: ["out-q"]));
        cluster.Mqs.FailReservationsOf(alias, "MQS is down");
        try
        {
            await Assert.ThrowsAsync<MqsException>(() => key.CreateWorkflowAsync("request-1", spec));
        }
        finally
        {
            cluster.Mqs.AllowReservationsOf(alias);
        }
        var failedId = cluster.Mqs.Calls.Last(c => c.Kind == MqsSeamCall.Reservation && c.QueueAliases.Contains(alias)).WorkflowId;

        var created = await key.CreateWorkflowAsync("request-1", spec);
        var again = await key.CreateWorkflowAsync("request-1", spec with { Priority = 99 });
        var other = await key.CreateWorkflowAsync("request-2", spec);

        try
        {
            Assert.False(created.Mismatch);
            // This era's MQS refuses a second reservation for the failed id, so the retry needs a new one.
            Assert.NotEqual(failedId, created.Creation!.Workflow.WorkflowId);
            Assert.Equal(created.Creation.Workflow.WorkflowId, again.Creation!.Workflow.WorkflowId);
            Assert.Equal(10, again.Creation.Workflow.Priority);
            Assert.True(other.Mismatch);
            Assert.Null(other.Creation);
        }
        finally
        {
            await cluster.Client.GetGrain<IWorkflowGrain>(created.Creation!.Workflow.WorkflowId).DeactivateAsync(Deactivation.Aborted);
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(86_399.9, false)]
    [InlineData(86_400, true)]
    [InlineData(200_000, true)]
    public void AKeyIsKeptForADay(double age, bool expired) =>
        Assert.Equal(expired, IdempotencyRetention.IsExpired(1_700_000_000, 1_700_000_000 + age));
}
