using System.Net.Sockets;
using System.Text;

namespace Wms.Api.Tests.Http1;

/// <summary>
/// Requests over a bare TCP connection, byte for byte as given (no client library would send most of them), and the
/// answer read as it comes: one answer, then whether the server closed the connection.
/// </summary>
public static class RawHttp
{
    /// <summary>How long a connection may stay silent before the reader gives up on it.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    /// <summary>Latin-1 text to bytes: each character one byte, so that any byte can be written as \xNN.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Sends <paramref name="request"/> in one write and reads one answer.</summary>
    public static Task<RawAnswer> SendAsync(Uri server, byte[] request, TimeSpan? quiet = null) =>
        SendAsync(server, [request], TimeSpan.Zero, quiet);

    /// <summary>
    /// Sends each piece in a write of its own, <paramref name="pause"/> apart, as a slow client would, and reads one
    /// answer (or nothing, until the server closes or <paramref name="quiet"/> passes without a byte).
    /// </summary>
    public static async Task<RawAnswer> SendAsync(Uri server, IReadOnlyList<byte[]> pieces, TimeSpan pause, TimeSpan? quiet = null)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && pause > TimeSpan.Zero)
            {
                // A slow client's pace, not a wait for the server: nothing is read meanwhile.
                await Task.Delay(pause);
            }
            await stream.WriteAsync(pieces[i]);
        }
        return await ReadAnswerAsync(stream, quiet ?? Quiet);
    }

    /// <summary>Sends the requests one after another on one connection, reading each answer before the next.</summary>
    public static async Task<IReadOnlyList<RawAnswer>> SendInTurnAsync(Uri server, params byte[][] requests)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var answers = new List<RawAnswer>();
        foreach (var request in requests)
        {
            await stream.WriteAsync(request);
            answers.Add(await ReadAnswerAsync(stream, Quiet));
        }
        return answers;
    }

    /// <summary>
    /// Reads one answer: its head, then its body by Content-Length or chunks, or up to the close; then, if the
    /// answer said it closes the connection, waits for the close.
    /// </summary>
    public static async Task<RawAnswer> ReadAnswerAsync(Stream stream, TimeSpan quiet)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var closed = false;
        while (!closed && !IsWhole(received.ToArray()))
        {
            closed = !await ReadSomeAsync(stream, buffer, received, quiet);
        }
        var answer = new RawAnswer(received.ToArray(), closed);
        if (!closed && !answer.IsEmpty && answer.Headers.TryGetValue("connection", out var connection) &&
            connection.Equals("close", StringComparison.OrdinalIgnoreCase))
        {
            closed = !await ReadSomeAsync(stream, buffer, received, quiet);
            answer = new RawAnswer(received.ToArray(), closed);
        }
        return answer;
    }

    /// <summary>False when the server closed the connection (or reset it); the read gives up after <paramref name="quiet"/>.</summary>
    private static async Task<bool> ReadSomeAsync(Stream stream, byte[] buffer, MemoryStream received, TimeSpan quiet)
    {
        using var timeout = new CancellationTokenSource(quiet);
        try
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            received.Write(buffer, 0, read);
            return read > 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nothing more came within {quiet.TotalSeconds} s after: {Encoding.Latin1.GetString(received.ToArray())}");
        }
    }

    private static bool IsWhole(byte[] bytes)
    {
        var headEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
        }
        var answer = new RawAnswer(bytes, false);
        if (answer.Status is < 200 or 204 or 304)
        {
            return true;
        }
        if (answer.Headers.TryGetValue("content-length", out var length))
        {
            return bytes.Length - (headEnd + 4) >= int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (answer.Headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return bytes.AsSpan(headEnd + 4).EndsWith("0\r\n\r\n"u8);
        }
        // Neither: the body runs to the close.
        return false;
    }
}
