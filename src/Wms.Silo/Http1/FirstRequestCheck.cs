using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wms.Api.Http1;

namespace Wms.Silo.Http1;

/// <summary>
/// Puts a <see cref="FirstRequestGate"/> on every connection of a listener that speaks HTTP/1.1, so that the requests
/// the server itself would refuse with a bare status (a malformed request line or header line, an unknown version, a
/// missing Host, a head past the server's limits) get the contract's error body. Only each connection's first request
/// is judged: later requests on a kept-alive connection are the server's alone.
/// </summary>
public static class FirstRequestCheck
{
    /// <summary>Adds the gate; a listener without HTTP/1.1 (one for HTTP/2 alone) is left as it is.</summary>
    /// <remarks>On a TLS listener it must come after <c>UseHttps</c>, so that it reads the request decrypted.</remarks>
    public static ListenOptions UseFirstRequestCheck(this ListenOptions listen)
    {
        if ((listen.Protocols & HttpProtocols.Http1) == 0)
        {
            return listen;
        }
        var server = listen.KestrelServerOptions;
        var services = listen.ApplicationServices;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FirstRequestCheck).FullName!);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        listen.Use(next =>
        {
            // Read once the server's options are final: connections are only built when it starts.
            var limits = LimitsOf(server);
            var settings = new GateSettings(server.Limits.RequestHeadersTimeout, time, log);
            return connection =>
            {
                var transport = connection.Transport;
                var gate = new FirstRequestGate(transport.Input, transport.Output, new RequestHeadJudge(limits), settings,
                    connection.ConnectionId);
                connection.Transport = new GatedTransport(gate, transport.Output);
                return next(connection);
            };
        });
        return listen;
    }

    /// <summary>The server's own limits, so that the judge refuses where the server would.</summary>
    public static RequestHeadLimits LimitsOf(KestrelServerOptions server) => new(
        server.Limits.MaxRequestLineSize,
        server.Limits.MaxRequestHeadersTotalSize,
        server.Limits.MaxRequestHeaderCount,
        server.AllowHostHeaderOverride,
        // Header values are read as ASCII or UTF-8 unless an encoding is chosen for them.
        server.RequestHeaderEncodingSelector("Host") is null
            && !(AppContext.TryGetSwitch("Microsoft.AspNetCore.Server.Kestrel.Latin1RequestHeaders", out var latin1) && latin1));
}
