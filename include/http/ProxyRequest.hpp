#ifndef WEBSERV_HTTP_PROXYREQUEST_HPP
#define WEBSERV_HTTP_PROXYREQUEST_HPP

// What a reverse proxy sends upstream for a client's request, and which of
// the upstream's response fields go back (RFC 9110 §7.6.1, nginx's proxy
// module). Pure: the request and the forwarding facts in, bytes out.
//
// The upstream request is HTTP/1.1, kept alive, with:
// - the client's fields minus the hop-by-hop ones: Connection and every
//   field it names, Keep-Alive, TE, Trailer, Transfer-Encoding and
//   Content-Length (framing is set again from the body), Upgrade (unless
//   tunnelling), Proxy-* and Expect (100-continue is the proxy's own);
// - Host as the client sent it (the authority of an absolute-form target,
//   which routing went by; fallbackHost when there was none);
// - X-Forwarded-For with the client's address appended, X-Real-IP,
//   X-Forwarded-Proto and X-Forwarded-Host set;
// - then each proxy_set_header line: a value replaces every field of that
//   name, an empty value removes them.

#include <sys/types.h>
#include <string>
#include <utility>
#include <vector>

#include "http/HeaderMap.hpp"
#include "http/Request.hpp"

struct ProxyForwarding {
    std::string target;             // what goes on the request line
    std::string host;               // an absolute-form target's authority: the Host
                                    // routed by, whatever the Host field said ("" for none)
    std::string fallbackHost;       // Host when the client sent none: the upstream's
    std::string clientAddress;
    std::string scheme;             // "http", or what a trusted proxy said
    bool tunnel;                    // pass Upgrade on (WebSocket)
    std::vector<std::pair<std::string, std::string> > setHeaders;   // expanded values

    ProxyForwarding() : tunnel(false) {}
};

// Whether the request asks to switch protocols (a WebSocket handshake):
// HTTP/1.1, an Upgrade field, and "upgrade" in Connection (RFC 9110 §7.8).
bool asksUpgrade(const Request& request);

// The upstream request's head, through its empty line.
std::string proxyRequestHead(const Request& request, const ProxyForwarding& forwarding);

// The request line's target, by nginx's rule: without a URI in proxy_pass
// (hasUri false) the client's target as received; with one, the location's
// prefix of the normalised path replaced by uri, percent-encoded again,
// then the query.
std::string proxyTarget(const std::string& received, const std::string& path,
    const std::string& query, const std::string& locationPrefix, bool hasUri, const std::string& uri);

// The options of a Connection field (all of them combined): the fields it
// names are hop-by-hop too.
std::vector<std::string> connectionTokens(const std::string& connection);
// Whether an upstream response field stays between the upstream and the
// proxy (hop-by-hop, or framing the proxy sets again) rather than going to
// the client. connection: connectionTokens() of the response.
bool isHopByHopField(const std::string& name, const std::vector<std::string>& connection);

#endif
