using Wms.Domain.Commands;
using Wms.GrainInterfaces.Grains;

namespace Wms.Grains.Tests.Support;

public static class WorkflowGrainExtensions
{
    /// <summary>Creates a workflow under an id the test drew fresh, so a refusal is a failure of the test.</summary>
    public static async Task<WorkflowCreation> CreateNewAsync(this IWorkflowGrain grain, WorkflowSpec spec) =>
        await grain.CreateAsync(spec) ?? throw new InvalidOperationException("the fresh workflow id was refused");
}
