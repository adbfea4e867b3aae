using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Wms.Cli.Output;

/// <summary>
/// Where a command writes: tables and text for people, or the service's JSON for scripts, on standard output;
/// progress on standard error, and only when a person watches it, so pipes and captured output stay clean.
/// </summary>
public sealed class Terminal
{
    /// <summary>The width tables get when standard output is a pipe or a file: wide enough not to wrap ids.</summary>
    private const int RedirectedWidth = 200;

    private readonly TextWriter _out;

    public Terminal(TextWriter output, TextWriter error, bool outputRedirected, bool errorRedirected)
    {
        _out = output;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (outputRedirected)
        {
            Out.Profile.Width = RedirectedWidth;
        }
        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        ShowsProgress = !errorRedirected && Error.Profile.Capabilities.Interactive;
        IsLive = !outputRedirected && Out.Profile.Capabilities.Interactive;
    }

    /// <summary>Whether a person watches standard output itself, who can be shown a display that redraws.</summary>
    public bool IsLive { get; }

    /// <summary>People's output: tables and text.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Standard error, for progress.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Whether a person is watching standard error, who would like to see a long wait move.</summary>
    public bool ShowsProgress { get; }

    public static Terminal FromConsole() =>
        new(Console.Out, Console.Error, Console.IsOutputRedirected, Console.IsErrorRedirected);

    /// <summary>A line of plain text; nothing in it is read as markup.</summary>
    public void Line(string text) => Out.Write(new Text(text + "\n"));

    /// <summary>The service's JSON as it arrived, on one line.</summary>
    public void Json(byte[] utf8)
    {
        _out.WriteLine(Encoding.UTF8.GetString(utf8));
        _out.Flush();
    }

    /// <summary>JSON this client composed from the service's objects, each copied byte for byte.</summary>
    public void Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        Json(buffer.ToArray());
    }

    /// <summary>
    /// Runs <paramref name="work"/>, showing a spinner with the text it reports while it runs when a person watches;
    /// otherwise the reports go nowhere.
    /// </summary>
    public async Task ProgressAsync(string text, Func<Action<string>, Task> work)
    {
        if (!ShowsProgress)
        {
            await work(_ => { });
            return;
        }
        await Error.Status().StartAsync(Markup.Escape(text), context => work(report => context.Status(Markup.Escape(report))));
    }
}
