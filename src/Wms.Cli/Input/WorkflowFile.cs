using System.Text;
using System.Text.Json.Nodes;
using Wms.Requests;
using YamlDotNet.Core;

namespace Wms.Cli.Input;

/// <summary>
/// Reads a workflow request from a file, or from standard input for <c>-</c>, as JSON or YAML. YAML is chosen by a
/// <c>.yaml</c> or <c>.yml</c> name, or by content that does not open with <c>{</c>; either way the result passes
/// the service's body checks (<see cref="JsonBody"/>), so limits and texts are the service's.
/// </summary>
public static class WorkflowFile
{
    public const string StandardInput = "-";

    /// <summary>The request's JSON; a file that cannot be read, or holds no valid request body, is a usage failure.</summary>
    public static JsonObject Read(string path, Func<Stream> standardInput)
    {
        var name = path == StandardInput ? "standard input" : path;
        var bytes = ReadBytes(path, name, standardInput);
        try
        {
            return IsYaml(path, bytes) ? FromYaml(bytes) : JsonBody.Parse(bytes);
        }
        catch (BadRequestException e)
        {
            throw CommandFailedException.Usage($"{name}: {e.Message}");
        }
        catch (YamlException e)
        {
            throw CommandFailedException.Usage($"{name}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            throw CommandFailedException.Usage($"{name}: {e.Message}");
        }
    }

    private static byte[] ReadBytes(string path, string name, Func<Stream> standardInput)
    {
        try
        {
            if (path != StandardInput)
            {
                return WithoutByteOrderMark(File.ReadAllBytes(path));
            }
            using var input = standardInput();
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            return WithoutByteOrderMark(buffer.ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailedException.Usage($"cannot read {name}: {e.Message}");
        }
    }

    /// <summary>Editors on some systems start UTF-8 files with a byte order mark, which is no part of the JSON.</summary>
    private static byte[] WithoutByteOrderMark(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;

    private static bool IsYaml(string path, byte[] bytes)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // An empty body is judged as JSON, whose reader names the problem as the service does.
        var first = bytes.AsSpan().TrimStart(" \t\r\n"u8);
        return !first.IsEmpty && first[0] != (byte)'{';
    }

    /// <summary>The YAML as JSON bytes, read back through the service's body checks.</summary>
    private static JsonObject FromYaml(byte[] bytes)
    {
        var json = YamlJson.Convert(Encoding.UTF8.GetString(bytes));
        return JsonBody.Parse(Encoding.UTF8.GetBytes(json?.ToJsonString() ?? "null"));
    }
}
