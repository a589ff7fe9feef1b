#include "router/InternalRedirects.hpp"

#include "router/RequestVariables.hpp"
#include "router/TryFiles.hpp"
#include "util/Strings.hpp"

namespace {

// try_files runs once `return` and allow_methods have let the request
// through, before a handler takes it: a POST that static files would
// refuse may still reach a front controller.
bool usesTryFiles(const RouteDecision& route, const std::string& method)
{
    const LocationConfig& location = *route.location;
    bool methodPassed = (methodBit(method) & location.allowMethods) != 0;
    bool handled = route.action == ROUTE_STATIC || route.action == ROUTE_CGI
        || route.action == ROUTE_UPLOAD || route.action == ROUTE_DELETE
        || (route.action == ROUTE_NOT_ALLOWED && methodPassed);
    return handled && !location.tryFiles.empty();
}

// A POST the static files of its location refuse, to a directory whose
// location takes POST: its index file (a script) may take it.
bool isPostToDirectory(const RequestContext& ctx)
{
    const RouteDecision& route = ctx.route;
    return route.action == ROUTE_NOT_ALLOWED && ctx.request->method == "POST"
        && (route.location->allowMethods & METHOD_POST) && endsWith(route.path, "/");
}

void answerStatus(RouteDecision& route, int status)
{
    route.action = ROUTE_ERROR;
    route.status = status;
}

// try_files on ctx.route: true with *next and the query set when it asks
// for an internal redirect; otherwise the route serves what it found, or
// answers a status.
bool applyTryFiles(RequestContext& ctx, std::string* next)
{
    TryFilesResult result = tryFiles(*ctx.route.location, RequestVariables(ctx), *ctx.statCache);
    if (result.kind == TryFilesResult::FOUND) {
        ctx.router->serveAs(ctx.route, ctx.request->method, result.uri);
        return false;
    }
    if (result.kind == TryFilesResult::STATUS) {
        if (!result.reason.empty())
            logRequestError(ctx, result.reason);
        answerStatus(ctx.route, result.status);
        return false;
    }
    next->swap(result.uri);
    if (result.newQuery) {
        ctx.route.query.swap(result.query);
        ctx.route.hasQuery = true;
    }
    return true;
}

}

bool takeInternalRedirect(RequestContext& ctx, int* redirects, const std::string& uri)
{
    if (++*redirects <= kMaxInternalRedirects)
        return true;
    logRequestError(ctx, "rewrite or internal redirection cycle while internally redirecting to \""
        + uri + "\"");
    answerStatus(ctx.route, 500);
    return false;
}

ResolvedFile resolveRoute(RequestContext& ctx, int* redirects)
{
    StatCache ownStats;
    if (!ctx.statCache)
        ctx.statCache = &ownStats;
    ResolvedFile file;
    std::string next;
    for (;;) {
        bool fallback = usesTryFiles(ctx.route, ctx.request->method) && applyTryFiles(ctx, &next);
        if (!fallback) {
            if (ctx.route.action != ROUTE_STATIC && !isPostToDirectory(ctx))
                break;
            ResolvedFile found = resolveFile(*ctx.route.location, ctx.route.path, ctx.route.fsPath,
                ctx.statCache);
            file.swap(found);
            if (file.kind != FILE_INDEX)
                break;
            next = file.uri;
        }
        if (!takeInternalRedirect(ctx, redirects, next))
            break;
        RouteDecision redirected = ctx.router->reroute(ctx.route, ctx.request->method, next);
        redirected.hasQuery = ctx.route.hasQuery;   // the arguments go along, as in nginx
        redirected.query.swap(ctx.route.query);
        ctx.route = redirected;
    }
    if (ctx.statCache == &ownStats)
        ctx.statCache = 0;
    return file;
}
