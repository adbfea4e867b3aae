using Wms.Domain.Model;
using Wms.Domain.Rules;

namespace Wms.Grains.Tests.Rules;

/// <summary>Each generation's words in the log entries it makes.</summary>
public sealed class PhaseLogTextsTests
{
    [Theory]
    [InlineData(ApiGeneration.V0, null, "User", "During initial workflow creation.")]
    [InlineData(ApiGeneration.V0, "alice", "User", "During initial workflow creation. (by alice)")]
    [InlineData(ApiGeneration.V1, null, "USER", "Created during initial workflow request.")]
    [InlineData(ApiGeneration.V1, "alice", "USER", "Created during initial workflow request. (by alice)")]
    public void CreationIsTold(ApiGeneration generation, string? caller, string source, string description) =>
        Assert.Equal(new LogAuthor(source, description), PhaseLog.Creation(generation, caller));

    [Theory]
    [InlineData(ApiGeneration.V0, false, "User", "Added by a user's add-workers request. (by svc)")]
    [InlineData(ApiGeneration.V0, true, "User", "Added by a user's add-workers request. (by svc)")]
    [InlineData(ApiGeneration.V1, false, "USER", "Created when adding more workers for this task directive. (by svc)")]
    [InlineData(ApiGeneration.V1, true, "TMS", "Created when adding more workers for this task directive. (by svc)")]
    public void AddedWorkersNameTheCallersRoleOnV1(ApiGeneration generation, bool tms, string source, string description) =>
        Assert.Equal(new LogAuthor(source, description), PhaseLog.AddWorkers(generation, "svc", tms));
}
