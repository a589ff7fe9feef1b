#include "handlers/StatusHandler.hpp"

#include "handlers/ErrorPages.hpp"
#include "http/Negotiation.hpp"
#include "util/Strings.hpp"

ServerStatus::ServerStatus()
    : accepted(0), handled(0), requests(0), active(0), reading(0), writing(0), waiting(0),
      cgiProcesses(0), sessions(0), rateKeys(0), rateMaxKeys(0), rateEvictions(0),
      connectionAddresses(0), limitBytes(0), fastcgiKept(0), fastcgiReused(0), proxyKept(0),
      proxyReused(0), uptimeSeconds(0)
{
}

std::string statusText(const ServerStatus& s)
{
    return "Active connections: " + toString(s.active) + "\n"
        + "server accepts handled requests\n"
        + " " + toString(s.accepted) + " " + toString(s.handled) + " " + toString(s.requests) + "\n"
        + "Reading: " + toString(s.reading) + " Writing: " + toString(s.writing)
        + " Waiting: " + toString(s.waiting) + "\n"
        + "CGI processes: " + toString(s.cgiProcesses) + "\n"
        + "Sessions: " + toString(s.sessions) + "\n"
        + "Limits: rate keys " + toString(s.rateKeys) + "/" + toString(s.rateMaxKeys)
        + " evicted " + toString(s.rateEvictions) + ", connection addresses "
        + toString(s.connectionAddresses) + ", bytes " + toString(s.limitBytes) + "\n"
        + "FastCGI: kept connections " + toString(s.fastcgiKept) + ", reused "
        + toString(s.fastcgiReused) + "\n"
        + "Proxy: kept connections " + toString(s.proxyKept) + ", reused "
        + toString(s.proxyReused) + "\n"
        + "Uptime: " + toString(s.uptimeSeconds) + "\n";
}

std::string statusJson(const ServerStatus& s)
{
    return "{\"connections\":{\"active\":" + toString(s.active)
        + ",\"reading\":" + toString(s.reading) + ",\"writing\":" + toString(s.writing)
        + ",\"waiting\":" + toString(s.waiting) + "},\"accepted\":" + toString(s.accepted)
        + ",\"handled\":" + toString(s.handled) + ",\"requests\":" + toString(s.requests)
        + ",\"cgi_processes\":" + toString(s.cgiProcesses) + ",\"sessions\":"
        + toString(s.sessions) + ",\"limits\":{\"rate_keys\":" + toString(s.rateKeys)
        + ",\"rate_max_keys\":" + toString(s.rateMaxKeys) + ",\"rate_evictions\":"
        + toString(s.rateEvictions) + ",\"connection_addresses\":"
        + toString(s.connectionAddresses) + ",\"bytes\":" + toString(s.limitBytes)
        + "},\"fastcgi\":{\"kept\":" + toString(s.fastcgiKept) + ",\"reused\":"
        + toString(s.fastcgiReused) + "},\"proxy\":{\"kept\":" + toString(s.proxyKept)
        + ",\"reused\":" + toString(s.proxyReused) + "},\"uptime_seconds\":" + toString(s.uptimeSeconds) + "}\n";
}

void respondStatus(const RequestContext& ctx, Response& response)
{
    if (!ctx.statusSource) {
        respondError(ctx, 500, response);
        return;
    }
    ServerStatus status = ctx.statusSource->currentStatus();
    bool json = prefersJson(ctx.request->headers);
    response.reset(200);
    response.head.headers.set("Content-Type", json ? "application/json" : "text/plain");
    // Counters change every moment: no cache may keep them.
    response.head.headers.set("Cache-Control", "no-store");
    response.body = json ? statusJson(status) : statusText(status);
}
