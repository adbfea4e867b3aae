namespace Wms.Api.Http1;

/// <summary>
/// The HTTP server's own limits and reading choices that decide whether it refuses a request head, so that
/// <see cref="RequestHeadJudge"/> refuses at exactly the same point.
/// </summary>
/// <param name="MaxRequestLineBytes">The longest request line, its line feed included.</param>
/// <param name="MaxHeaderBytes">The most bytes of header lines (the server allows two more, for the blank line).</param>
/// <param name="MaxHeaderCount">The most header lines.</param>
/// <param name="AllowHostHeaderOverride">An absolute-form target may name another host than the Host header.</param>
/// <param name="HeaderValuesAsUtf8">Header values are read as ASCII or UTF-8 (the server's default), so others are refused.</param>
public sealed record RequestHeadLimits(
    int MaxRequestLineBytes,
    int MaxHeaderBytes,
    int MaxHeaderCount,
    bool AllowHostHeaderOverride,
    bool HeaderValuesAsUtf8);
