namespace Wms.Api.Http1;

/// <summary>The four forms of a request target (RFC 9112, section 3.2), told apart as the HTTP server tells them.</summary>
public enum RequestTargetForm
{
    /// <summary><c>/path?query</c>: what every client sends to a server.</summary>
    Origin,

    /// <summary><c>http://host/path</c>: what clients send to a proxy; a server must take it too.</summary>
    Absolute,

    /// <summary><c>host:port</c>: CONNECT's target.</summary>
    Authority,

    /// <summary><c>*</c>: a server-wide OPTIONS.</summary>
    Asterisk,
}
