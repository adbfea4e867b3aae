using Wms.GrainInterfaces.Commands;
using Wms.GrainInterfaces.Model;
using Wms.GrainInterfaces.State;

namespace Wms.Grains.Rules;

/// <summary>Turns a validated request and its reserved queues into the objects of a new workflow.</summary>
public static class WorkflowPlanner
{
    public static (WorkflowCreation Creation, List<WorkflowTask> Tasks) Plan(
        string workflowId, WorkflowSpec spec, IReadOnlyList<MqProfile> profiles, double now)
    {
        var mqidByAlias = new Dictionary<string, string>();
        foreach (var profile in profiles)
        {
            mqidByAlias[profile.Alias] = profile.MqId;
        }
        string MqId(string alias) => mqidByAlias.TryGetValue(alias, out var id)
            ? id
            : throw new InvalidOperationException($"the MQS reservation did not return queue alias '{alias}'");

        var workflow = new WorkflowDocument { WorkflowId = workflowId, Timestamp = now, Priority = spec.Priority };
        var directives = new List<TaskDirectiveDocument>();
        var taskforces = new List<TaskforceDocument>();
        var tasks = new List<WorkflowTask>();
        for (var i = 0; i < spec.Tasks.Count; i++)
        {
            var task = spec.Tasks[i];
            var directive = new TaskDirectiveDocument
            {
                TaskId = Ids.NewTaskId(workflowId),
                WorkflowId = workflowId,
                ClusterLocations = task.ClusterLocations.Select(l => l.Name).ToList(),
                TaskImage = task.TaskImage,
                TaskArgs = task.TaskArgs,
                Timestamp = now,
                InputQueues = task.InputQueueAliases.Select(MqId).ToList(),
                OutputQueues = task.OutputQueueAliases.Select(MqId).ToList(),
            };
            directives.Add(directive);
            var made = task.ClusterLocations
                .Select(l => NewTaskforce(workflowId, directive.TaskId, task, l, task.NWorkers, now,
                    PhaseLog.By(PhaseLog.CreationDescription, spec.CreatedBy)))
                .ToList();
            taskforces.AddRange(made);
            tasks.Add(new WorkflowTask
            {
                TaskId = directive.TaskId,
                SpecIndex = i,
                InputQueues = directive.InputQueues,
                OutputQueues = directive.OutputQueues,
                TaskforceUuids = made.Select(t => t.TaskforceUuid).ToList(),
            });
        }
        return (new WorkflowCreation(workflow, directives, taskforces), tasks);
    }

    public static TaskforceDocument NewTaskforce(
        string workflowId, string taskId, TaskSpec task, ClusterLocation location, long? nWorkers, double now,
        string description) =>
        new()
        {
            TaskforceUuid = Ids.NewTaskforceUuid(taskId),
            TaskId = taskId,
            WorkflowId = workflowId,
            Timestamp = now,
            Collector = location.Collector,
            Schedd = location.Schedd,
            NWorkers = nWorkers,
            PilotConfig = PilotEnvironment.ForTask(task),
            WorkerConfig = task.WorkerConfig,
            Phase = Phase.PreMqActivation,
            PhaseChangeLog = [PhaseLog.Entry(Phase.PreMqActivation, now, true, SourceEntity.User, description)],
        };
}
