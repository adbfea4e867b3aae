using System.Globalization;
using System.Text.Json.Nodes;
using Wms.Query;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// A seeded generator of WMS-like raw documents (nested objects, arrays of objects and of arrays, nulls, missing
/// fields, mixed types) and of filters over them using every operator, dotted and numeric paths and nested logic.
/// Values come from small pools so that filters actually hit: equal, ordered and type-mixed pairs are common.
/// </summary>
public sealed class RandomFinds(int seed)
{
    private static readonly string[] Strings =
    [
        "", "a", "b", "ab", "B", "10", "9", "null", "true", "pending-starter", "condor-submit", "ä", "é",
        "\U0001F600", "\uE000", "\uFFFD", "COLLECTOR1", "it's", "x\"y",
    ];

    // Numbers as written, so that 1, 1.0 and 1e0 (same value, different text) all occur.
    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "1.0", "1e0", "2", "-1", "-2.5", "0.1", "0.3", "0.30000000000000004", "100", "1e2",
        "1700000000.25", "9007199254740992", "9007199254740993", "-9223372036854775808", "3",
    ];

    private static readonly string[] Keys = ["a", "b", "c", "0", "1"];

    private static readonly string[] TopFields =
    [
        "phase", "collector", "n_workers", "cluster_id", "worker_config", "pilot_config", "tags", "log", "a", "b",
        "0", "m",
    ];

    private static readonly string[] Segments =
    [
        "a", "b", "c", "0", "1", "2", "01", "priority", "n_cores", "tag", "environment", "target_phase",
        "was_successful", "timestamp", "x",
    ];

    private static readonly string[] Phases = ["pre-launch", "pending-starter", "condor-submit", "pending-stopper"];

    private readonly Random _random = new(seed);

    // The documents of the current round; filters often follow their actual paths and reuse their values.
    private List<JsonObject> _documents = [];

    public int Seed { get; } = seed;

    public List<JsonObject> Documents(int count) => _documents = Enumerable.Range(0, count).Select(Document).ToList();

    public JsonObject Document(int index)
    {
        var doc = new JsonObject { ["id"] = $"d{index}" };
        foreach (var field in TopFields)
        {
            if (_random.NextDouble() < 0.25)
            {
                continue; // missing
            }
            doc[field] = field switch
            {
                "phase" => Chance(0.8) ? Phases[_random.Next(Phases.Length)] : Value(1),
                "collector" => Chance(0.8) ? Strings[_random.Next(Strings.Length)] : Value(1),
                "worker_config" => Chance(0.8) ? WorkerConfig() : Value(2),
                "pilot_config" => Chance(0.8)
                    ? new JsonObject { ["tag"] = Value(0), ["environment"] = Object(2) }
                    : Value(2),
                "log" => Chance(0.8) ? new JsonArray([.. Enumerable.Range(0, _random.Next(4)).Select(_ => LogEntry())]) : Value(2),
                "m" => new JsonArray([.. Enumerable.Range(0, _random.Next(3)).Select(_ => Array(2))]),
                _ => Value(3),
            };
        }
        return doc;
    }

    public JsonObject Filter() => Filter(2);

    /// <summary>A filter the parser accepts (a rare rejected one, e.g. a mixed operator object, is redrawn).</summary>
    public FilterNode ParsedFilter(out JsonObject filter)
    {
        while (true)
        {
            filter = Filter();
            try
            {
                return FilterParser.Parse((JsonObject)filter.DeepClone());
            }
            catch (FilterException)
            {
            }
        }
    }

    private JsonObject Filter(int depth)
    {
        var filter = new JsonObject();
        var entries = 1 + _random.Next(2);
        for (var i = 0; i < entries; i++)
        {
            if (depth > 0 && Chance(0.3))
            {
                var op = _random.Next(3) switch { 0 => "$and", 1 => "$or", _ => "$nor" };
                filter[op] = new JsonArray([.. Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Filter(depth - 1))]);
            }
            else if (_documents.Count > 0 && Chance(0.6))
            {
                var (path, seen) = ObservedPath();
                filter[path] = Condition(depth, seen);
            }
            else
            {
                filter[Path()] = Condition(depth, null);
            }
        }
        return filter;
    }

    private string Path()
    {
        var segments = new List<string> { Chance(0.8) ? TopFields[_random.Next(TopFields.Length)] : Keys[_random.Next(Keys.Length)] };
        var more = _random.Next(3);
        for (var i = 0; i < more; i++)
        {
            segments.Add(Segments[_random.Next(Segments.Length)]);
        }
        return string.Join('.', segments);
    }

    // Walks a random document: object keys, array positions (as "n") or through arrays into object elements.
    private (string Path, JsonNode? Seen) ObservedPath()
    {
        JsonNode? node = _documents[_random.Next(_documents.Count)];
        var segments = new List<string>();
        while (segments.Count < 4)
        {
            if (node is JsonObject obj && obj.Count > 0)
            {
                var (key, value) = obj.ElementAt(_random.Next(obj.Count));
                if (key == "id")
                {
                    continue;
                }
                segments.Add(key);
                node = value;
            }
            else if (node is JsonArray array && array.Count > 0 && segments.Count > 0)
            {
                var index = _random.Next(array.Count);
                if (Chance(0.4))
                {
                    segments.Add(index.ToString(CultureInfo.InvariantCulture));
                }
                else if (array[index] is not JsonObject)
                {
                    break;
                }
                node = array[index];
            }
            else
            {
                break;
            }
            if (Chance(0.3))
            {
                break;
            }
        }
        return segments.Count == 0 ? (Path(), null) : (string.Join('.', segments), node);
    }

    private JsonNode? Condition(int depth, JsonNode? seen)
    {
        if (Chance(0.3))
        {
            return Operand(seen); // implicit equality
        }
        var condition = new JsonObject();
        var count = 1 + _random.Next(2);
        for (var i = 0; i < count; i++)
        {
            var op = _random.Next(10) switch
            {
                0 => "$eq",
                1 => "$ne",
                2 => "$gt",
                3 => "$gte",
                4 => "$lt",
                5 => "$lte",
                6 => "$in",
                7 => "$nin",
                8 => "$exists",
                _ => depth > 0 ? "$not" : "$eq",
            };
            condition[op] = op switch
            {
                "$in" or "$nin" => new JsonArray([.. Enumerable.Range(0, _random.Next(4)).Select(_ => Operand(seen))]),
                "$exists" => Chance(0.5),
                "$not" => NotOperand(seen),
                _ => Operand(seen),
            };
        }
        return condition;
    }

    private JsonObject NotOperand(JsonNode? seen)
    {
        var op = _random.Next(7) switch { 0 => "$eq", 1 => "$gt", 2 => "$lte", 3 => "$in", 4 => "$exists", 5 => "$ne", _ => "$lt" };
        return new JsonObject
        {
            [op] = op switch
            {
                "$in" => new JsonArray([.. Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Operand(seen))]),
                "$exists" => Chance(0.5),
                _ => Operand(seen),
            },
        };
    }

    // Half the time a value that is (or is inside) what the path reaches in some document.
    private JsonNode? Operand(JsonNode? seen)
    {
        if (seen is not null && Chance(0.5))
        {
            var value = seen is JsonArray array && array.Count > 0 && Chance(0.6) ? array[_random.Next(array.Count)] : seen;
            if (value is not JsonObject obj || obj.All(p => !p.Key.StartsWith('$')))
            {
                return value?.DeepClone();
            }
        }
        return Operand();
    }

    private JsonNode? Operand() => _random.Next(10) switch
    {
        0 => null,
        1 => Array(1),
        2 => Object(1),
        _ => Scalar(),
    };

    private JsonObject WorkerConfig()
    {
        var config = new JsonObject();
        foreach (var key in new[] { "priority", "n_cores", "do_transfer_worker_stdouterr" })
        {
            if (Chance(0.8))
            {
                config[key] = key == "do_transfer_worker_stdouterr" && Chance(0.7) ? Chance(0.5) : Scalar();
            }
        }
        return config;
    }

    private JsonObject LogEntry() => new()
    {
        ["target_phase"] = Chance(0.8) ? Phases[_random.Next(Phases.Length)] : Value(0),
        ["was_successful"] = Chance(0.8) ? Chance(0.5) : Value(0),
        ["timestamp"] = Number(),
    };

    private JsonNode? Value(int depth) => _random.Next(depth > 0 ? 10 : 7) switch
    {
        0 => null,
        < 7 => Scalar(),
        7 or 8 => Array(depth - 1),
        _ => Object(depth - 1),
    };

    private JsonNode Scalar() => _random.Next(3) switch
    {
        0 => JsonValue.Create(Strings[_random.Next(Strings.Length)]),
        1 => Number(),
        _ => JsonValue.Create(Chance(0.5)),
    };

    private JsonNode Number() => JsonNode.Parse(Numbers[_random.Next(Numbers.Length)])!;

    private JsonArray Array(int depth) =>
        new([.. Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth))]);

    private JsonObject Object(int depth)
    {
        var obj = new JsonObject();
        var count = _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            obj[Keys[_random.Next(Keys.Length)]] = Value(depth);
        }
        return obj;
    }

    private bool Chance(double p) => _random.NextDouble() < p;
}
