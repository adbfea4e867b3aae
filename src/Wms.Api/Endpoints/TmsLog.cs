using Microsoft.Extensions.Logging;

namespace Wms.Api.Endpoints;

/// <summary>What the TMS endpoints tell operators.</summary>
internal static partial class TmsLog
{
    [LoggerMessage(Level = LogLevel.Error,
        Message = "pending-starter: taskforce {TaskforceUuid} is offered but its task {TaskId} or workflow is not in the index; answering {{}}")]
    public static partial void TaskMissing(ILogger logger, string taskforceUuid, string taskId);
}
