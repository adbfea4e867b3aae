using Wms.Domain.Commands;
using Wms.Domain.Model;

namespace Wms.Grains.Sharing;

/// <summary>
/// Rebuilds a taskforce document, or what a TMS report puts into one, with its repeated parts shared between
/// documents: keys and values of the pilot environment and submit dict, phase names, log descriptions, worker
/// settings and status names. A document read from storage otherwise holds its own copy of each, and with tens of
/// thousands of taskforces active those copies would be most of the service's memory. The content is unchanged:
/// only which instances hold it.
/// </summary>
public sealed class TaskforceSharing
{
    /// <summary>The one the grains use: sharing works best with one set of pools per process.</summary>
    public static TaskforceSharing Shared { get; } = new();

    /// <summary>Longer texts (tokens, task arguments) are rarely repeated between workflows and would only evict.</summary>
    private const int MaxSharedLength = 256;

    private readonly SharingPool<string> _strings = new(1 << 14, StringComparer.Ordinal);
    private readonly SharingPool<ConfigValue> _values = new(1 << 12, EqualityComparer<ConfigValue>.Default);
    private readonly SharingPool<WorkerConfig> _workers = new(1 << 8, EqualityComparer<WorkerConfig>.Default);
    private readonly SharingPool<PhaseChangeLogEntry> _logEntries =
        new(1 << 12, EqualityComparer<PhaseChangeLogEntry>.Default);

    public TaskforceDocument Share(TaskforceDocument tf) => tf with
    {
        TaskId = Text(tf.TaskId),
        WorkflowId = Text(tf.WorkflowId),
        Collector = Text(tf.Collector),
        Schedd = Text(tf.Schedd),
        PilotConfig = tf.PilotConfig with
        {
            Tag = Text(tf.PilotConfig.Tag),
            Environment = Config(tf.PilotConfig.Environment),
            InputFiles = Texts(tf.PilotConfig.InputFiles),
        },
        WorkerConfig = _workers.Share(tf.WorkerConfig with
        {
            WorkerDisk = Text(tf.WorkerConfig.WorkerDisk),
            WorkerMemory = Text(tf.WorkerConfig.WorkerMemory),
        }),
        SubmitDict = Config(tf.SubmitDict),
        JobEventLogFpath = Text(tf.JobEventLogFpath),
        Phase = Text(tf.Phase),
        PhaseChangeLog = Log(tf.PhaseChangeLog),
        CompoundStatuses = Statuses(tf.CompoundStatuses),
        TopTaskErrors = Counts(tf.TopTaskErrors),
    };

    public StatusUpdate Share(StatusUpdate update) => new(
        update.CompoundStatuses is { } statuses ? Statuses(statuses) : null,
        update.TopTaskErrors is { } errors ? Counts(errors) : null);

    public CondorSubmission Share(CondorSubmission submission) => submission with
    {
        SubmitDict = Config(submission.SubmitDict),
        JobEventLogFpath = Text(submission.JobEventLogFpath),
    };

    private string Text(string text) => text.Length > MaxSharedLength ? text : _strings.Share(text);

    private List<string> Texts(IReadOnlyList<string> texts)
    {
        var shared = new List<string>(texts.Count);
        foreach (var text in texts)
        {
            shared.Add(Text(text));
        }
        return shared;
    }

    private ConfigValue Value(ConfigValue value) => _values.Share(value switch
    {
        { Text: { } text } => value with { Text = Text(text) },
        { List: { } list } => value with { List = Texts(list) },
        _ => value,
    });

    private Dictionary<string, ConfigValue> Config(IReadOnlyDictionary<string, ConfigValue> config)
    {
        var shared = new Dictionary<string, ConfigValue>(config.Count);
        foreach (var (key, value) in config)
        {
            shared[Text(key)] = Value(value);
        }
        return shared;
    }

    private Dictionary<string, long> Counts(IReadOnlyDictionary<string, long> counts)
    {
        var shared = new Dictionary<string, long>(counts.Count);
        foreach (var (key, count) in counts)
        {
            shared[Text(key)] = count;
        }
        return shared;
    }

    private Dictionary<string, IReadOnlyDictionary<string, long>> Statuses(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> statuses)
    {
        var shared = new Dictionary<string, IReadOnlyDictionary<string, long>>(statuses.Count);
        foreach (var (key, counts) in statuses)
        {
            shared[Text(key)] = Counts(counts);
        }
        return shared;
    }

    private List<PhaseChangeLogEntry> Log(IReadOnlyList<PhaseChangeLogEntry> log)
    {
        var shared = new List<PhaseChangeLogEntry>(log.Count);
        foreach (var entry in log)
        {
            shared.Add(LogEntry(entry));
        }
        return shared;
    }

    private PhaseChangeLogEntry LogEntry(PhaseChangeLogEntry entry) => _logEntries.Share(entry with
    {
        TargetPhase = Text(entry.TargetPhase),
        SourceEntity = Text(entry.SourceEntity),
        Description = Text(entry.Description),
    });
}
