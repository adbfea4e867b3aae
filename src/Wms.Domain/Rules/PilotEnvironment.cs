using Wms.Domain.Commands;
using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>The pilot environment a task's taskforces start with: the user's own plus what the pilot needs.</summary>
public static class PilotEnvironment
{
    public const string TaskImage = "EWMS_PILOT_TASK_IMAGE";
    public const string TaskArgs = "EWMS_PILOT_TASK_ARGS";
    public const string TaskEnvJson = "EWMS_PILOT_TASK_ENV_JSON";
    public const string InitImage = "EWMS_PILOT_INIT_IMAGE";
    public const string InitArgs = "EWMS_PILOT_INIT_ARGS";
    public const string InitEnvJson = "EWMS_PILOT_INIT_ENV_JSON";

    /// <summary>Names the WMS sets itself; a user may not set them.</summary>
    public static readonly IReadOnlyList<string> Reserved = [TaskImage, TaskArgs, TaskEnvJson, InitImage, InitArgs, InitEnvJson];

    public static PilotConfig ForTask(TaskSpec task)
    {
        var environment = new Dictionary<string, ConfigValue>(task.PilotConfig.Environment)
        {
            [TaskImage] = ConfigValue.Of(task.TaskImage),
            [TaskArgs] = ConfigValue.Of(task.TaskArgs),
        };
        SetIfPresent(environment, TaskEnvJson, task.TaskEnvJson);
        SetIfPresent(environment, InitImage, task.InitImage);
        SetIfPresent(environment, InitArgs, task.InitArgs);
        SetIfPresent(environment, InitEnvJson, task.InitEnvJson);
        return task.PilotConfig with { Environment = environment };
    }

    private static void SetIfPresent(Dictionary<string, ConfigValue> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = ConfigValue.Of(value);
        }
    }
}
