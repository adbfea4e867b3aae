using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Wms.Cli.Tests.Tool;

/// <summary>
/// A run of the tool still going, such as <c>wms watch</c>: its standard output line by line as it is written, and
/// its end. Disposing it kills a run that has not ended.
/// </summary>
public sealed class RunningTool : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stdout = new();
    private readonly Task<string> _stderr;
    private readonly Task _reading;

    public RunningTool(Process process)
    {
        _process = process;
        _process.StandardInput.Close();
        _stderr = _process.StandardError.ReadToEndAsync();
        _reading = ReadLinesAsync();
    }

    /// <summary>Every line written so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>The next line of standard output; fails when none comes before <paramref name="limit"/> or the run ends.</summary>
    public async Task<string> NextLineAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(deadline.Token) && _lines.Reader.TryRead(out var line))
            {
                return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line within {limit}; output so far:\n{Stdout}");
        }
        throw new InvalidOperationException($"the tool ended (exit {await ExitAsync()}) without another line:\n{Stdout}\n{await _stderr}");
    }

    /// <summary>Waits for the run to end and returns all it wrote.</summary>
    public async Task<ToolRun> WaitForExitAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the tool ran longer than {limit}; output so far:\n{Stdout}");
        }
        await _reading;
        return new ToolRun(_process.ExitCode, Stdout, await _stderr);
    }

    private async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    private async Task ReadLinesAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_stdout)
            {
                _stdout.Append(line).Append('\n');
            }
            _lines.Writer.TryWrite(line);
        }
        _lines.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
