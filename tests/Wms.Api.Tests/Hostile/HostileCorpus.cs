using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.BadInput;

namespace Wms.Api.Tests.Hostile;

/// <summary>
/// Requests meant to hurt: oversized, deeply nested, huge, badly encoded, absurdly long, out of range, filter
/// bombs, forged tokens. Unlike the bad-input suite (malformed but honest requests, one rule at a time), these aim
/// at the service's resources and its error paths. Each must get a 4xx and change nothing.
/// </summary>
public static class HostileCorpus
{
    public const string AuthenticationFailed = "authentication failed";
    public const string TooLarge = "request body too large";

    private const int Kib = 1024;

    /// <summary>Every endpoint that takes a body, aimed at seeded objects so that an accepted body would show.</summary>
    private static readonly (string Name, string Path, string ValidBody)[] BodyEndpoints =
    [
        ("create", "v0/workflows", ValidWorkflow.Body()),
        ("abort", "v0/workflows/{wf}/actions/abort", "{}"),
        ("finished", "v0/workflows/{wf}/actions/finished", "{}"),
        ("add-workers", "v0/task-directives/{td}/actions/add-workers", "{\"cluster_location\": \"test-beta\", \"n_workers\": 1}"),
        ("query workflows", "v0/query/workflows", "{\"query\": {}}"),
        ("query task directives", "v0/query/task-directives", "{\"query\": {}}"),
        ("query taskforces", "v0/query/taskforces", "{\"query\": {}}"),
        ("condor-submit", "v0/tms/condor-submit/taskforces/{tf}", SubmitBody),
        ("condor-submit failed", "v0/tms/condor-submit/taskforces/{tf}/failed", "{\"error\": \"x\"}"),
        ("condor-rm", "v0/tms/condor-rm/taskforces/{tf-submitted}", "{}"),
        ("condor-rm failed", "v0/tms/condor-rm/taskforces/{tf-submitted}/failed", "{\"error\": \"x\"}"),
        ("condor-complete", "v0/tms/condor-complete/taskforces/{tf-submitted}", "{\"condor_complete_ts\": 1700000000}"),
        ("statuses", "v0/tms/statuses/taskforces", "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"e\": 1}}}"),
    ];

    /// <summary>Every endpoint with an id in its path, the id as <c>{id}</c>, with the 404 text it gives.</summary>
    private static readonly (string Name, string Method, string Path, string? Body, string NotFound)[] IdEndpoints =
    [
        ("get workflow", "GET", "v0/workflows/{id}", null, "no workflow found with id: "),
        ("get task directive", "GET", "v0/task-directives/{id}", null, "no task found with id: "),
        ("get taskforce", "GET", "v0/taskforces/{id}", null, "no taskforce found with uuid: "),
        ("abort", "POST", "v0/workflows/{id}/actions/abort", "{}", "no non-deactivated workflow found with workflow_id="),
        ("finished", "POST", "v0/workflows/{id}/actions/finished", "{}", "no non-deactivated workflow found with workflow_id="),
        ("add-workers", "POST", "v0/task-directives/{id}/actions/add-workers",
            "{\"cluster_location\": \"test-beta\", \"n_workers\": 1}", "no task found with id: "),
        ("condor-submit", "POST", "v0/tms/condor-submit/taskforces/{id}", SubmitBody, "no 'pending-starter' taskforce found with uuid: "),
        ("condor-submit failed", "POST", "v0/tms/condor-submit/taskforces/{id}/failed", "{\"error\": \"x\"}",
            "no 'pending-starter' taskforce found with uuid: "),
        ("condor-rm", "POST", "v0/tms/condor-rm/taskforces/{id}", "{}", "no taskforce found with uuid: "),
        ("condor-rm failed", "POST", "v0/tms/condor-rm/taskforces/{id}/failed", "{\"error\": \"x\"}", "no taskforce found with uuid: "),
        ("condor-complete", "POST", "v0/tms/condor-complete/taskforces/{id}", "{\"condor_complete_ts\": 1}", "no taskforce found with uuid: "),
    ];

    private const string SubmitBody =
        "{\"cluster_id\": 77, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/scratch/x.log\"}";

    public static IReadOnlyDictionary<string, HostileCase> Cases { get; } = Build();

    private static Dictionary<string, HostileCase> Build()
    {
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        void Add(string name, HostileCase c)
        {
            if (!cases.TryAdd(name, c))
            {
                throw new InvalidOperationException($"two cases are named '{name}'");
            }
        }
        HostileCase Post(string path, string text, int status = 400) => new("POST", path, status) { Text = text };
        HostileCase PostRaw(string path, byte[] raw, int status = 400) => new("POST", path, status) { Raw = raw };

        // Against every endpoint that reads a body: the same seven attacks on the body reader.
        foreach (var (name, path, _) in BodyEndpoints)
        {
            Add($"{name}: oversized body", PostRaw(path, Oversized(), 413) with { Error = TooLarge });
            Add($"{name}: depth bomb", Post(path, name.Length % 2 == 0
                ? new string('[', 100_000) + new string(']', 100_000)
                : string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)));
            Add($"{name}: invalid UTF-8", PostRaw(path, [.. "{\"error\": \""u8, 0xC3, 0x28, 0xED, 0xA0, 0x80, .. "\"}"u8]));
            Add($"{name}: raw NUL byte", PostRaw(path, [.. "{\"error\": \"a"u8, 0x00, .. "b\"}"u8]));
            Add($"{name}: lone surrogate", Post(path, "{\"error\": \"\\ud800 alone\"}"));
            Add($"{name}: 70 KiB string", Post(path, $"{{\"error\": \"{new string('e', 70 * Kib)}\"}}"));
            Add($"{name}: list of 10001 items", Post(path, $"{{\"error\": [{string.Join(",", Enumerable.Repeat("0", 10_001))}]}}"));
        }
        Add("create: oversized body, chunked", PostRaw("v0/workflows", Oversized(), 413) with { Chunked = true, Error = TooLarge });
        Add("statuses: oversized body, chunked", PostRaw("v0/tms/statuses/taskforces", Oversized(), 413) with { Chunked = true, Error = TooLarge });
        Add("create: body of only NUL bytes", PostRaw("v0/workflows", new byte[4 * Kib]));
        Add("create: NUL between tokens", PostRaw("v0/workflows", [.. "{\"tasks\":"u8, 0x00, .. "[]}"u8]));
        Add("create: overlong UTF-8 slash", PostRaw("v0/workflows", [.. "{\"tasks\": [], \"public_queue_aliases\": [\""u8, 0xC0, 0xAF, .. "\"]}"u8]));
        Add("create: five-byte UTF-8", PostRaw("v0/workflows", [.. "{\"x\": \""u8, 0xF8, 0x88, 0x80, 0x80, 0x80, .. "\"}"u8]));
        Add("create: invalid UTF-8 in a key", PostRaw("v0/workflows", [.. "{\""u8, 0xFF, 0xFE, .. "\": 1}"u8]));
        Add("create: truncated UTF-8 at the end", PostRaw("v0/workflows", [.. "{\"x\": \"\u20ac"u8[..^1]]));
        Add("create: UTF-16 body", PostRaw("v0/workflows", Encoding.Unicode.GetBytes(ValidWorkflow.Body())));
        Add("create: lone low surrogate in a key", Post("v0/workflows", "{\"\\udc00\": 1}"));
        // The parser's own complaints reach the client: they must name no .NET type.
        Add("create: duplicate key", Post("v0/workflows", "{\"tasks\": [], \"tasks\": []}"));
        Add("query: duplicate key deep inside", Post("v0/query/taskforces", "{\"query\": {\"a\": {\"b\": 1, \"b\": 2}}}"));
        Add("statuses: trailing garbage", Post("v0/tms/statuses/taskforces", "{} {\"x\": 1}"));

        // Ids: very long, path traversal, NUL, invalid UTF-8, in every endpoint that takes one.
        foreach (var (name, method, path, body, notFound) in IdEndpoints)
        {
            var longId = "TF-" + new string('f', 4_000);
            Add($"{name}: 4000-character id", new HostileCase(method, path.Replace("{id}", longId, StringComparison.Ordinal), 404)
            {
                Text = body,
            });
            Add($"{name}: path traversal", new HostileCase(method, path.Replace("{id}", "..%2F..%2F..%2Fetc%2Fpasswd", StringComparison.Ordinal), 404)
            {
                Text = body,
            });
            // The HTTP server refuses an encoded NUL in a path before routing.
            Add($"{name}: NUL in the id", new HostileCase(method, path.Replace("{id}", "WF-%00-0badf00d", StringComparison.Ordinal), 400)
            {
                Text = body,
                RefusedByServer = true,
            });
            Add($"{name}: invalid UTF-8 in the id", new HostileCase(method, path.Replace("{id}", "TF-%C3%28%FF", StringComparison.Ordinal), 404)
            {
                Text = body,
            });
            _ = notFound;
        }
        Add("get workflow: double-encoded traversal", new HostileCase("GET", "v0/workflows/%252e%252e%252f%252e%252e%252fetc", 404));
        Add("get taskforce: backslash traversal", new HostileCase("GET", "v0/taskforces/TF-..%5C..%5C..%5Cboot.ini", 404));
        Add("get workflow: id of another kind", new HostileCase("GET", "v0/workflows/{tf}", 404));
        Add("pending-starter: NUL collector", new HostileCase("GET", "v0/tms/pending-starter/taskforces?collector=%00&schedd=SCHEDD1", 400));
        Add("pending-stopper: 2000-character schedd",
            new HostileCase("GET", $"v0/tms/pending-stopper/taskforces?collector=C&schedd={new string('s', 2_000)}", 400));
        Add("pending-starter: control character", new HostileCase("GET", "v0/tms/pending-starter/taskforces?collector=C%0D%0AX&schedd=S", 400));
        Add("request line of 20 KiB", new HostileCase("GET", "v0/workflows/" + new string('w', 20 * Kib), 414)
        {
            Error = "request line too long",
        });

        // Numbers out of range.
        void Number(string name, string path, string body) => Add($"number out of range: {name}", Post(path, body));
        Number("priority 1e400", "v0/workflows", Swap("\"priority\":20", "\"priority\":1e400"));
        Number("priority -1e400", "v0/workflows", Swap("\"priority\":20", "\"priority\":-1e400"));
        Number("priority 2^63", "v0/workflows", Swap("\"priority\":20", "\"priority\":9223372036854775808"));
        Number("priority 1e19", "v0/workflows", Swap("\"priority\":20", "\"priority\":1e19"));
        Number("n_workers 1e19", "v0/workflows", Swap("\"n_workers\":5", "\"n_workers\":10000000000000000000"));
        Number("n_workers -2^63-1", "v0/workflows", Swap("\"n_workers\":5", "\"n_workers\":-9223372036854775809"));
        Number("n_cores 1e400", "v0/workflows", Swap("\"n_cores\":1", "\"n_cores\":1e400"));
        Number("max_worker_runtime of 30 digits", "v0/workflows",
            Swap("\"max_worker_runtime\":3600", "\"max_worker_runtime\":" + new string('9', 30)));
        Number("worker priority 1e-400", "v0/workflows", Swap("\"priority\":10", "\"priority\":1e-400"));
        Number("add-workers n_workers 1e30", "v0/task-directives/{td}/actions/add-workers",
            "{\"cluster_location\": \"test-beta\", \"n_workers\": 1e30}");
        Number("cluster_id 2^63", "v0/tms/condor-submit/taskforces/{tf}",
            SubmitBody.Replace("\"cluster_id\": 77", "\"cluster_id\": 9223372036854775808", StringComparison.Ordinal));
        Number("submit n_workers 1e400", "v0/tms/condor-submit/taskforces/{tf}",
            SubmitBody.Replace("\"n_workers\": 1", "\"n_workers\": 1e400", StringComparison.Ordinal));
        Number("submit_dict value of 400 digits", "v0/tms/condor-submit/taskforces/{tf}",
            SubmitBody.Replace("\"submit_dict\": {}", $"\"submit_dict\": {{\"x\": {new string('7', 400)}}}", StringComparison.Ordinal));
        Number("condor_complete_ts 1e400", "v0/tms/condor-complete/taskforces/{tf-submitted}", "{\"condor_complete_ts\": 1e400}");
        Number("condor_complete_ts -1e400", "v0/tms/condor-complete/taskforces/{tf-submitted}", "{\"condor_complete_ts\": -1e400}");
        Number("condor_complete_ts fraction", "v0/tms/condor-complete/taskforces/{tf-submitted}", "{\"condor_complete_ts\": 1.5}");
        Number("status count 1e20", "v0/tms/statuses/taskforces",
            "{\"compound_statuses_by_taskforce\": {\"{tf}\": {\"RUNNING\": {\"Tasking\": 1e20}}}}");
        Number("error count -1e400", "v0/tms/statuses/taskforces", "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"e\": -1e400}}}");

        // Filter bombs.
        void Filter(string name, string kind, string query) => Add($"filter bomb: {name}", Post($"v0/query/{kind}", query));
        Filter("$and 40 deep", "workflows", $"{{\"query\": {Nested("$and", 40)}}}");
        Filter("$or 40 deep", "taskforces", $"{{\"query\": {Nested("$or", 40)}}}");
        Filter("$nor 40 deep", "task-directives", $"{{\"query\": {Nested("$nor", 40)}}}");
        Filter("$not 40 deep", "taskforces",
            $"{{\"query\": {{\"phase\": {string.Concat(Enumerable.Repeat("{\"$not\": ", 40))}{{\"$eq\": 1}}{new string('}', 40)}}}}}");
        Filter("1001 conditions", "workflows",
            $"{{\"query\": {{\"$and\": [{string.Join(",", Enumerable.Range(0, 1_001).Select(i => $"{{\"f{i}\": {i}}}"))}]}}}}");
        Filter("$in of 10001 values", "workflows", $"{{\"query\": {{\"workflow_id\": {{\"$in\": [{Values(10_001)}]}}}}}}");
        Filter("$nin of 10001 values", "taskforces", $"{{\"query\": {{\"taskforce_uuid\": {{\"$nin\": [{Values(10_001)}]}}}}}}");
        Filter("two $in lists of 5001 values", "taskforces",
            $"{{\"query\": {{\"a\": {{\"$in\": [{Values(5_001)}]}}, \"b\": {{\"$in\": [{Values(5_001)}]}}}}}}");
        // Few enough nodes, but 900 short lists hold 10800 values together.
        Filter("$in in each of 900 branches", "workflows",
            $"{{\"query\": {{\"$or\": [{string.Join(",", Enumerable.Range(0, 900).Select(i => $"{{\"p\": {{\"$in\": [{string.Join(",", Enumerable.Range(i, 12))}]}}}}"))}]}}}}");
        foreach (var op in new[] { "$where", "$expr", "$regex", "$function", "$jsonSchema", "$text", "$mod", "$elemMatch" })
        {
            Filter($"operator {op}", "workflows", $"{{\"query\": {{\"workflow_id\": {{\"{op}\": \"this.x == 1\"}}}}}}");
        }
        Filter("top-level $where", "taskforces", "{\"query\": {\"$where\": \"sleep(10000)\"}}");
        Filter("projection of 1001 fields", "taskforces",
            $"{{\"query\": {{}}, \"projection\": [{string.Join(",", Enumerable.Range(0, 1_001).Select(i => $"\"f{i}\""))}]}}");
        Filter("literal 70 deep", "workflows",
            $"{{\"query\": {{\"x\": {string.Concat(Enumerable.Repeat("[", 70))}1{new string(']', 70)}}}}}");
        Filter("70 KiB field name", "workflows", $"{{\"query\": {{\"{new string('f', 70 * Kib)}\": 1}}}}");
        Filter("70 KiB value", "taskforces", $"{{\"query\": {{\"phase\": \"{new string('p', 70 * Kib)}\"}}}}");

        // Huge lists and strings inside otherwise valid requests.
        Add("huge: 10001 tasks", Post("v0/workflows",
            $"{{\"tasks\": [{string.Join(",", Enumerable.Repeat("{}", 10_001))}], \"public_queue_aliases\": []}}"));
        Add("huge: 1001 public queue aliases", Post("v0/workflows",
            ValidWorkflow.With(b => b["public_queue_aliases"] = new JsonArray([.. Enumerable.Range(0, 1_001).Select(i => (JsonNode)$"q{i}")]))));
        Add("huge: 1001 cluster locations", Post("v0/workflows",
            ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray([.. Enumerable.Range(0, 1_001).Select(i => (JsonNode)$"loc-{i}")]))));
        Add("huge: 1001 input files", Post("v0/workflows",
            ValidWorkflow.WithPilot(p => p["input_files"] = new JsonArray([.. Enumerable.Range(0, 1_001).Select(i => (JsonNode)$"/f{i}")]))));
        Add("huge: 10001 environment names", Post("v0/workflows", ValidWorkflow.WithTask(t =>
            t["task_env"] = new JsonObject(Enumerable.Range(0, 10_001).Select(i => KeyValuePair.Create($"V{i}", (JsonNode?)"1"))))));
        Add("huge: statuses for 10001 taskforces", Post("v0/tms/statuses/taskforces",
            $"{{\"top_task_errors_by_taskforce\": {{{string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"\"TF-6650a1b2-0badf00d-0badf00d-{i:x8}\": {{}}"))}}}}}"));
        Add("huge: submit_dict of 10001 keys", Post("v0/tms/condor-submit/taskforces/{tf}",
            SubmitBody.Replace("\"submit_dict\": {}",
                $"\"submit_dict\": {{{string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"\"k{i}\": 1"))}}}", StringComparison.Ordinal)));
        Add("long: 70 KiB task image", Post("v0/workflows", ValidWorkflow.WithTask(t => t["task_image"] = new string('i', 70 * Kib))));
        Add("long: 70 KiB environment name", Post("v0/workflows",
            ValidWorkflow.WithTask(t => t["task_env"] = new JsonObject { [new string('N', 70 * Kib)] = "1" })));
        Add("long: 70 KiB pilot environment value", Post("v0/workflows",
            ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["V"] = new string('v', 70 * Kib) })));
        Add("long: 70 KiB submit failure", Post("v0/tms/condor-submit/taskforces/{tf}/failed", $"{{\"error\": \"{new string('x', 70 * Kib)}\"}}"));
        Add("long: 70 KiB job event log path", Post("v0/tms/condor-submit/taskforces/{tf}",
            SubmitBody.Replace("/scratch/x.log", "/" + new string('l', 70 * Kib), StringComparison.Ordinal)));
        Add("long: 70 KiB error name in statuses", Post("v0/tms/statuses/taskforces",
            $"{{\"top_task_errors_by_taskforce\": {{\"{{tf}}\": {{\"{new string('E', 70 * Kib)}\": 1}}}}}}"));
        Add("long: 70 KiB cluster location", Post("v0/task-directives/{td}/actions/add-workers",
            $"{{\"cluster_location\": \"{new string('c', 70 * Kib)}\", \"n_workers\": 1}}"));

        // Tokens: absent, forged, absurd. Each aims at a request that would change something if let through.
        HostileCase Forged(string method, string path, string? body, params string[] authorization) =>
            new(method, path, 403) { Text = body, WithToken = false, Authorization = authorization, Error = AuthenticationFailed };
        var minter = TokenMinter.Symmetric();
        Add("token: none, on condor-submit", Forged("POST", "v0/tms/condor-submit/taskforces/{tf}", SubmitBody));
        Add("token: 30 KiB of garbage", Forged("POST", "v0/workflows/{wf}/actions/abort", "{}", "Bearer " + new string('g', 30 * Kib)));
        Add("token: 30 KiB in three parts", Forged("POST", "v0/workflows", ValidWorkflow.Body(),
            $"Bearer {new string('a', 10 * Kib)}.{new string('b', 10 * Kib)}.{new string('c', 10 * Kib)}"));
        Add("token: unsigned, alg none", Forged("POST", "v0/tms/statuses/taskforces",
            "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"e\": 5}}}", "Bearer " + minter.Unsigned()));
        Add("token: signed by a stranger", Forged("POST", "v0/workflows/{wf}/actions/finished", "{}", "Bearer " + minter.Both()));
        Add("token: kid is a path", Forged("POST", "v0/tms/condor-rm/taskforces/{tf-submitted}", "{}", "Bearer " + WithHeader(
            "../../../../../../etc/passwd", [])));
        Add("token: jku points elsewhere", Forged("POST", "v0/tms/condor-rm/taskforces/{tf-submitted}/failed", "{\"error\": \"x\"}",
            "Bearer " + WithHeader("k1", new Dictionary<string, object> { ["jku"] = "http://127.0.0.1:9/jwks.json" })));
        Add("token: a second, forged header beside the valid one", new HostileCase("POST", "v0/workflows/{wf}/actions/abort", 403)
        {
            Text = "{}",
            Authorization = ["Bearer " + minter.Both()],
            Error = AuthenticationFailed,
        });
        Add("token: the word Bearer alone", Forged("GET", "v0/workflows/{wf}", null, "Bearer"));
        Add("token: basic credentials", Forged("GET", "v0/workflows/{wf}", null, "Basic b3BlcmF0b3I6aHVudGVyMg=="));
        Add("token: 100 dots", Forged("GET", "v0/taskforces/{tf}", null, "Bearer " + new string('.', 100)));
        Add("token: JSON instead of a JWT", Forged("GET", "v0/taskforces/{tf}", null, "Bearer {\"sub\":\"admin\",\"ewms_role\":\"system-tms\"}"));
        Add("token: five parts (encrypted form)", Forged("GET", "v0/task-directives/{td}", null, "Bearer a.b.c.d.e"));
        Add("token: 200 KiB", new HostileCase("GET", "v0/workflows/{wf}", 431)
        {
            WithToken = false,
            Authorization = ["Bearer " + new string('z', 200 * Kib)],
            Error = "request headers too large",
        });

        // Methods and media the API does not take.
        Add("method: PUT on workflows", new HostileCase("PUT", "v0/workflows", 405) { Text = ValidWorkflow.Body() });
        Add("method: DELETE a workflow", new HostileCase("DELETE", "v0/workflows/{wf}", 405));
        Add("method: PATCH a taskforce", new HostileCase("PATCH", "v0/taskforces/{tf}", 405) { Text = "{\"phase\": \"condor-complete\"}" });
        Add("method: GET on condor-submit", new HostileCase("GET", "v0/tms/condor-submit/taskforces/{tf}", 405));
        var xml = Post("v0/workflows", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
        Add("media: XML body", xml with { ContentType = "application/xml" });
        var form = Post("v0/workflows", "--b\r\nContent-Disposition: form-data; name=\"tasks\"\r\n\r\n[]\r\n--b--\r\n");
        Add("media: multipart form", form with { ContentType = "multipart/form-data; boundary=b" });
        return cases;
    }

    private static byte[] Oversized()
    {
        // Valid JSON just past the limit: only its size is wrong.
        var filler = new string('a', (int)HostileServer.BodyLimit + 4 * Kib);
        return Encoding.UTF8.GetBytes($"{{\"error\": \"{filler}\"}}");
    }

    private static string Swap(string from, string to)
    {
        var body = ValidWorkflow.Body();
        if (!body.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the valid workflow has no '{from}'");
        }
        return body.Replace(from, to, StringComparison.Ordinal);
    }

    private static string Nested(string op, int depth) =>
        string.Concat(Enumerable.Repeat($"{{\"{op}\": [", depth)) + "{\"x\": 1}" + string.Concat(Enumerable.Repeat("]}", depth));

    private static string Values(int n) => string.Join(",", Enumerable.Range(0, n).Select(i => $"\"WF-{i:x8}-0badf00d\""));

    /// <summary>A token with extra header fields, signed with a key the service does not know.</summary>
    private static string WithHeader(string keyId, Dictionary<string, object> header) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TokenMinter.StaticIssuer,
        Audience = TokenMinter.Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["ewms_role"] = "system-tms" },
        AdditionalHeaderClaims = header.Count == 0 ? null : header,
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = keyId }, SecurityAlgorithms.HmacSha256),
    });
}
