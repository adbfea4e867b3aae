using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
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
            var planned = new WorkflowTask
            {
                TaskId = Ids.NewTaskId(workflowId),
                SpecIndex = i,
                InputQueues = task.InputQueueAliases.Select(MqId).ToList(),
                OutputQueues = task.OutputQueueAliases.Select(MqId).ToList(),
            };
            planned.TaskforceUuids = task.ClusterLocations.Select(_ => Ids.NewTaskforceUuid(planned.TaskId)).ToList();
            tasks.Add(planned);
            directives.Add(Directive(workflowId, spec, planned, now));
            taskforces.AddRange(CreatedTaskforces(workflowId, spec, planned, now));
        }
        return (new WorkflowCreation(workflow, directives, taskforces), tasks);
    }

    /// <summary>
    /// The objects as <see cref="Plan"/> made them, again, from what the workflow keeps (its request, its tasks and
    /// its creation time): so the workflow's state need not hold a copy of every document it created.
    /// </summary>
    public static WorkflowCreation Rebuild(WorkflowDocument workflow, WorkflowSpec spec, IReadOnlyList<WorkflowTask> tasks) =>
        new(workflow,
            tasks.Select(t => Directive(workflow.WorkflowId, spec, t, workflow.Timestamp)).ToList(),
            tasks.SelectMany(t => CreatedTaskforces(workflow.WorkflowId, spec, t, workflow.Timestamp)).ToList());

    public static TaskDirectiveDocument Directive(string workflowId, WorkflowSpec spec, WorkflowTask task, double now)
    {
        var request = spec.Tasks[task.SpecIndex];
        return new TaskDirectiveDocument
        {
            TaskId = task.TaskId,
            WorkflowId = workflowId,
            ClusterLocations = request.ClusterLocations.Select(l => l.Name).ToList(),
            TaskImage = request.TaskImage,
            TaskArgs = request.TaskArgs,
            Timestamp = now,
            InputQueues = task.InputQueues,
            OutputQueues = task.OutputQueues,
            TaskEnv = TaskSettings.Environment(request.TaskEnvJson),
            InitImage = request.InitImage ?? "",
            InitArgs = request.InitArgs ?? "",
            InitEnv = TaskSettings.Environment(request.InitEnvJson),
        };
    }

    /// <summary>
    /// The taskforces made with the task, one per requested location in order; the task's first uuids are theirs
    /// (add-workers appends later ones, which their grains store themselves).
    /// </summary>
    public static IEnumerable<TaskforceDocument> CreatedTaskforces(
        string workflowId, WorkflowSpec spec, WorkflowTask task, double now)
    {
        var request = spec.Tasks[task.SpecIndex];
        var creation = PhaseLog.Creation(spec.Generation, spec.CreatedBy);
        return request.ClusterLocations.Zip(task.TaskforceUuids, (location, uuid) =>
            NewTaskforce(uuid, workflowId, task.TaskId, request, location, request.NWorkers, now, creation, spec.Priority));
    }

    public static TaskforceDocument NewTaskforce(
        string workflowId, string taskId, TaskSpec task, ClusterLocation location, long? nWorkers, double now,
        LogAuthor author, int priority) =>
        NewTaskforce(Ids.NewTaskforceUuid(taskId), workflowId, taskId, task, location, nWorkers, now, author, priority);

    public static TaskforceDocument NewTaskforce(
        string uuid, string workflowId, string taskId, TaskSpec task, ClusterLocation location, long? nWorkers,
        double now, LogAuthor author, int priority) =>
        new()
        {
            TaskforceUuid = uuid,
            TaskId = taskId,
            WorkflowId = workflowId,
            Timestamp = now,
            Collector = location.Collector,
            Schedd = location.Schedd,
            NWorkers = nWorkers,
            PilotConfig = PilotEnvironment.ForTask(task),
            WorkerConfig = task.WorkerConfig,
            Phase = Phase.PreMqActivation,
            PhaseChangeLog = [PhaseLog.Entry(Phase.PreMqActivation, now, true, author.SourceEntity, author.Description)],
            Priority = priority,
        };
}
