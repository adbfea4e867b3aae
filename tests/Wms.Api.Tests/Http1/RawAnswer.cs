using System.Text;

namespace Wms.Api.Tests.Http1;

/// <summary>What came back on a raw connection: the answer's parts when there was one, and whether the server closed.</summary>
public sealed record RawAnswer(byte[] Bytes, bool Closed)
{
    /// <summary>No byte at all came back.</summary>
    public bool IsEmpty => Bytes.Length == 0;

    public int Status => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string Reason => StatusLine.Split(' ', 3) is [_, _, var reason] ? reason : "";

    public string StatusLine => Head.Split("\r\n")[0];

    /// <summary>Header names in lower case; a repeated header keeps its last value.</summary>
    public IReadOnlyDictionary<string, string> Headers =>
        Head.Split("\r\n").Skip(1).Where(l => l.Contains(':')).Select(l => l.Split(':', 2))
            .GroupBy(p => p[0].Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Last()[1].Trim());

    public string Body => Encoding.UTF8.GetString(Bytes, BodyStart, Bytes.Length - BodyStart);

    public string Head => Encoding.Latin1.GetString(Bytes, 0, Math.Max(0, BodyStart - 4));

    private int BodyStart
    {
        get
        {
            var end = Bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            return end < 0 ? Bytes.Length : end + 4;
        }
    }

    public override string ToString() => $"{(Closed ? "closed" : "open")}: {Encoding.Latin1.GetString(Bytes)}";
}
