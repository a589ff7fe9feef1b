#include "router/RequestVariables.hpp"

#include <sys/socket.h>

#include "util/Strings.hpp"

namespace {

// nginx's $host: the request's host, else the server's first name, else
// the address the connection arrived on.
void appendHost(const RequestContext& ctx, std::string& out)
{
    if (!ctx.route.host.empty()) {
        out += ctx.route.host;
        return;
    }
    const std::vector<std::string>& names = ctx.route.server->names;
    if (!names.empty() && !names[0].empty() && names[0][0] != '*')
        out += names[0];
    else
        out += ctx.local.family == AF_INET6 ? "[" + ctx.local.host + "]" : ctx.local.host;
}

}

void RequestVariables::append(Variable variable, const std::string& field, std::string& out) const
{
    const RouteDecision& route = ctx_.route;
    switch (variable) {
    case VAR_URI:
        out += route.path;
        break;
    case VAR_REQUEST_URI:
        out += ctx_.request->target;
        break;
    case VAR_ARGS:
        out += route.query;
        break;
    case VAR_IS_ARGS:
        if (!route.query.empty())
            out += '?';
        break;
    case VAR_HOST:
        appendHost(ctx_, out);
        break;
    case VAR_REMOTE_ADDR:
        out += ctx_.remoteAddress;
        break;
    case VAR_SERVER_PORT:
        out += toString(static_cast<unsigned long>(ctx_.local.port));
        break;
    case VAR_SCHEME:
        out += ctx_.scheme;
        break;
    case VAR_DOCUMENT_ROOT:
        out += route.location->documentRoot();
        break;
    case VAR_PROXY_HOST:
        out += route.location->proxyPass.host;
        break;
    case VAR_PROXY_ADD_X_FORWARDED_FOR: {
        std::string forwarded = ctx_.request->headers.combined("X-Forwarded-For");
        out += forwarded.empty() ? ctx_.remoteAddress : forwarded + ", " + ctx_.remoteAddress;
        break;
    }
    case VAR_HTTP_FIELD: {
        const std::string* value = ctx_.request->headers.find(field);
        if (value)
            out += *value;
        break;
    }
    }
}
