#include "handlers/Dispatcher.hpp"

#include "handlers/DeleteHandler.hpp"
#include "handlers/ErrorPages.hpp"
#include "handlers/Redirect.hpp"
#include "handlers/StaticHandler.hpp"
#include "handlers/StatusHandler.hpp"
#include "handlers/UploadHandler.hpp"
#include "router/FileResolver.hpp"
#include "util/Strings.hpp"

namespace {

void respondNotAllowed(const RequestContext& ctx, Response& response)
{
    respondError(ctx, 405, response);
    response.head.headers.set("Allow", methodList(ctx.route.allowedMethods));
}

// No body and so no Content-Length: a 204 has neither (RFC 9110 §8.6).
void respondOptions(const RequestContext& ctx, Response& response)
{
    response.reset(204);
    response.head.headers.set("Allow", methodList(ctx.route.allowedMethods));
}

}

void respond(const RequestContext& ctx, const ResolvedFile& file, Response& response)
{
    switch (ctx.route.action) {
    case ROUTE_ERROR:
        respondError(ctx, ctx.route.status, response);
        break;
    case ROUTE_RETURN:
        respondReturn(ctx, response);
        break;
    case ROUTE_NOT_ALLOWED:
        respondNotAllowed(ctx, response);
        break;
    case ROUTE_OPTIONS:
        respondOptions(ctx, response);
        break;
    case ROUTE_STATIC:
        respondStatic(ctx, file, response);
        break;
    case ROUTE_DELETE:
        respondDelete(ctx, response);
        break;
    case ROUTE_STATUS:
        respondStatus(ctx, response);
        break;
    case ROUTE_UPLOAD:
    case ROUTE_CGI:
    case ROUTE_PROXY:
        // Started by the exchange, which reads their bodies; reaching here
        // is a bug in the caller, not a request to serve.
        respondError(ctx, 500, response);
        break;
    }
}

BodyHandler* createBodyHandler(const RequestContext& ctx, int* status)
{
    *status = 0;
    if (ctx.route.action == ROUTE_UPLOAD)
        return createUploadHandler(ctx, status);
    return 0;
}
