#include "handlers/Redirect.hpp"

#include <sys/socket.h>

#include "handlers/ErrorPages.hpp"
#include "router/RequestVariables.hpp"
#include "util/Strings.hpp"

namespace {

bool isRedirectStatus(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}

std::string absoluteLocation(const RequestContext& ctx, const std::string& target)
{
    if (target.find("://") != std::string::npos || target.empty() || target[0] != '/')
        return target;
    // Behind a trusted proxy (a TLS terminator) the client reached the
    // proxy's address and scheme, not ours: its Host says where that was.
    const std::string* sent = ctx.request ? ctx.request->headers.find("Host") : 0;
    if (ctx.forwarded && sent && !sent->empty())
        return ctx.scheme + "://" + *sent + target;
    std::string host = ctx.route.host;
    if (host.empty())
        host = ctx.local.family == AF_INET6 ? "[" + ctx.local.host + "]" : ctx.local.host;
    std::string port;
    if (ctx.local.port != 80)
        port = ":" + toString(static_cast<unsigned long>(ctx.local.port));
    return "http://" + host + port + target;
}

void respondRedirect(const RequestContext& ctx, int status, const std::string& target,
    Response& response)
{
    response.reset(status);
    response.head.headers.set("Content-Type", "text/html");
    response.head.headers.set("Location", absoluteLocation(ctx, target));
    response.body = builtinStatusPage(status);
}

void respondReturn(const RequestContext& ctx, Response& response)
{
    int status = ctx.route.status;
    std::string text = ctx.route.location->returnRule.value.expand(RequestVariables(ctx));
    if (isRedirectStatus(status)) {
        respondRedirect(ctx, status, text, response);
        return;
    }
    if (text.empty() && status >= 400) {
        respondError(ctx, status, response);
        return;
    }
    response.reset(status);
    if (!text.empty())
        response.head.headers.set("Content-Type", "text/plain");
    response.body = text;
}
