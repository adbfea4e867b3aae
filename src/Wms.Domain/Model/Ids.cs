using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Wms.Domain.Model;

/// <summary>
/// Makes and recognises object ids: WF-&lt;hex epoch seconds&gt;-&lt;8 hex&gt;, then TK- and TF- each extending its
/// parent's tail with 8 more hex digits.
/// </summary>
public static partial class Ids
{
    public static string NewWorkflowId(DateTimeOffset now) =>
        $"WF-{now.ToUnixTimeSeconds():x}-{RandomHex()}";

    public static string NewTaskId(string workflowId) => $"TK-{Tail(workflowId)}-{RandomHex()}";

    public static string NewTaskforceUuid(string taskId) => $"TF-{Tail(taskId)}-{RandomHex()}";

    public static bool IsWorkflowId(string id) => WorkflowPattern().IsMatch(id);

    /// <summary>The workflow a task id or taskforce uuid belongs to (ids extend their parent's); null if neither.</summary>
    public static string? WorkflowIdOf(string id) =>
        IsTaskId(id) || IsTaskforceUuid(id) ? "WF-" + string.Join('-', id.Split('-')[1..3]) : null;

    public static bool IsTaskId(string id) => TaskPattern().IsMatch(id);

    public static bool IsTaskforceUuid(string id) => TaskforcePattern().IsMatch(id);

    private static string Tail(string id) => id[3..];

    private static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    [GeneratedRegex("^WF-[0-9a-f]{1,16}-[0-9a-f]{8}$")]
    private static partial Regex WorkflowPattern();

    [GeneratedRegex("^TK-[0-9a-f]{1,16}-[0-9a-f]{8}-[0-9a-f]{8}$")]
    private static partial Regex TaskPattern();

    [GeneratedRegex("^TF-[0-9a-f]{1,16}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$")]
    private static partial Regex TaskforcePattern();
}
