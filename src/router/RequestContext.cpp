#include "router/RequestContext.hpp"

#include "util/AddressRange.hpp"
#include "util/Strings.hpp"

RequestContext::RequestContext()
    : config(0), router(0), fileCache(0), statCache(0), request(0), remotePort(0), scheme("http"),
      forwarded(false),
      sessions(0), statusSource(0)
{
}

namespace {

bool trusted(const TrustedProxies& proxies, const std::string& peer)
{
    IpAddress address;
    if (proxies.ranges.empty() || !parseIpAddress(peer, &address))
        return false;
    for (size_t i = 0; i < proxies.ranges.size(); ++i)
        if (rangeContains(proxies.ranges[i], address))
            return true;
    return false;
}

// The address a trusted proxy names: X-Real-IP's, or the last of
// X-Forwarded-For's (the one the proxy itself appended; those before it
// are the client's word), as nginx's realip module takes it.
std::string forwardedAddress(const HeaderMap& headers, const std::string& header)
{
    std::string value = trimOws(headers.combined(header));
    std::string::size_type comma = value.rfind(',');
    if (comma != std::string::npos)
        value = trimOws(value.substr(comma + 1));
    IpAddress address;
    return parseIpAddress(value, &address) ? value : std::string();
}

}

void takeForwardedClient(RequestContext& ctx)
{
    ctx.remoteAddress = ctx.peerAddress;
    ctx.scheme = "http";
    const TrustedProxies& proxies = ctx.route.location->trusted;
    ctx.forwarded = ctx.request && trusted(proxies, ctx.peerAddress);
    if (!ctx.forwarded)
        return;
    std::string client = forwardedAddress(ctx.request->headers, proxies.header);
    if (!client.empty())
        ctx.remoteAddress = client;
    std::string proto = toLower(trimOws(ctx.request->headers.combined("X-Forwarded-Proto")));
    if (proto == "https")
        ctx.scheme = "https";
}

void logRequestError(const RequestContext& ctx, const std::string& reason)
{
    logRequestError(ctx, reason, std::string());
}

void logRequestError(const RequestContext& ctx, const std::string& reason,
    const std::string& upstream)
{
    std::string line = reason + ", client: " + ctx.remoteAddress + ", server: ";
    if (ctx.route.server && !ctx.route.server->names.empty())
        line += ctx.route.server->names[0];
    if (ctx.request && !ctx.request->method.empty()) {
        line += ", request: \"" + ctx.request->requestLine() + "\"";
        if (!upstream.empty())
            line += ", upstream: \"" + upstream + "\"";
        const std::string* host = ctx.request->headers.find("Host");
        if (host)
            line += ", host: \"" + *host + "\"";
    }
    logMessage(LOG_ERROR, line);
}
