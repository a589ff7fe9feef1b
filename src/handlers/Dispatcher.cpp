#include "handlers/Dispatcher.hpp"

#include "handlers/DeleteHandler.hpp"
#include "handlers/ErrorPages.hpp"
#include "handlers/Redirect.hpp"
#include "handlers/StaticHandler.hpp"
#include "handlers/StatusHandler.hpp"
#include "handlers/UploadHandler.hpp"
#include "router/FileResolver.hpp"

namespace {

void respondNotAllowed(const RequestContext& ctx, Response& response)
{
    respondError(ctx, 405, response);
    response.head.headers.set("Allow", methodList(ctx.route.allowedMethods));
}

// A directory's index file is an internal redirect to its URI, as in
// nginx: the new URI may belong to another location, with other rules.
void respondStaticOrIndex(const RequestContext& ctx, Response& response)
{
    ResolvedFile file = resolveFile(*ctx.route.location, ctx.route.path, ctx.route.fsPath, ctx.statCache);
    if (file.kind != FILE_INDEX) {
        respondStatic(ctx, file, response);
        return;
    }
    RequestContext inner = ctx;
    inner.route = ctx.router->reroute(ctx.route, ctx.request->method, file.uri);
    if (inner.route.action == ROUTE_STATIC) {
        ResolvedFile index = resolveFile(*inner.route.location, inner.route.path,
            inner.route.fsPath, ctx.statCache);
        // Only a file: an index that resolves to a directory again stops here.
        respondStatic(inner, index.kind == FILE_INDEX ? file : index, response);
        return;
    }
    respond(inner, response);
}

}

void respond(const RequestContext& ctx, Response& response)
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
    case ROUTE_STATIC:
        respondStaticOrIndex(ctx, response);
        break;
    case ROUTE_DELETE:
        respondDelete(ctx, response);
        break;
    case ROUTE_UPLOAD:
        // Uploads read their body through createBodyHandler(); reaching
        // here is a bug in the caller, not a request to serve.
        respondError(ctx, 500, response);
        break;
    case ROUTE_STATUS:
        respondStatus(ctx, response);
        break;
    case ROUTE_CGI:
        // Scripts run through the connection's CGI exchange; reaching here
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
