#include "router/RequestContext.hpp"

RequestContext::RequestContext()
    : config(0), router(0), fileCache(0), statCache(0), request(0), remotePort(0), sessions(0), statusSource(0)
{
}

void logRequestError(const RequestContext& ctx, const std::string& reason)
{
    std::string line = reason + ", client: " + ctx.remoteAddress + ", server: ";
    if (ctx.route.server && !ctx.route.server->names.empty())
        line += ctx.route.server->names[0];
    if (ctx.request && !ctx.request->method.empty()) {
        line += ", request: \"" + ctx.request->requestLine() + "\"";
        const std::string* host = ctx.request->headers.find("Host");
        if (host)
            line += ", host: \"" + *host + "\"";
    }
    logMessage(LOG_ERROR, line);
}
