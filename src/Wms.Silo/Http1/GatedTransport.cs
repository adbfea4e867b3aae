using System.IO.Pipelines;

namespace Wms.Silo.Http1;

/// <summary>A connection's transport with its input read through a <see cref="FirstRequestGate"/>.</summary>
public sealed class GatedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
