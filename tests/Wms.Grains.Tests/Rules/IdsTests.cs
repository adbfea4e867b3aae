using Wms.Domain.Model;

namespace Wms.Grains.Tests.Rules;

public sealed class IdsTests
{
    [Fact]
    public void TaskAndTaskforceIdsLeadBackToTheirWorkflow()
    {
        var workflowId = Ids.NewWorkflowId(DateTimeOffset.FromUnixTimeSeconds(0x6543_21ab));
        var taskId = Ids.NewTaskId(workflowId);
        var uuid = Ids.NewTaskforceUuid(taskId);

        Assert.Equal(workflowId, Ids.WorkflowIdOf(taskId));
        Assert.Equal(workflowId, Ids.WorkflowIdOf(uuid));
    }

    [Theory]
    [InlineData("WF-6543-0123abcd")]
    [InlineData("TK-6543-0123abcd")]
    [InlineData("TF-6543-0123abcd-89abcdef")]
    [InlineData("TF-6543-0123ABCD-89abcdef-01234567")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    public void AnythingElseHasNoWorkflow(string id) => Assert.Null(Ids.WorkflowIdOf(id));
}
