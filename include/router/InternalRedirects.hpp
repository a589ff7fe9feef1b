#ifndef WEBSERV_ROUTER_INTERNALREDIRECTS_HPP
#define WEBSERV_ROUTER_INTERNALREDIRECTS_HPP

// The file-system half of routing a request, where one URI can turn into
// another: the location's try_files, and a directory's index file (nginx's
// index module). Each such internal redirect routes the new URI again, from
// the location match on, so an index or fallback that is a script runs it.
// A request may take at most kMaxInternalRedirects of them in all
// (counting a CGI script's local redirects too): one more is a cycle,
// answered 500 with an error-log line, as in nginx.

#include "router/FileResolver.hpp"
#include "router/RequestContext.hpp"

const int kMaxInternalRedirects = 10;

// Completes ctx.route, as Router::route() left it, for its method: try_files
// (for a route that serves, stores or runs a file), then the index file of a
// directory (GET, HEAD, or a POST its location takes). *redirects counts the
// request's internal redirects so far. Returns what a ROUTE_STATIC route
// serves on disk.
ResolvedFile resolveRoute(RequestContext& ctx, int* redirects);

// Counts one internal redirect to uri: false (ctx.route becomes a 500,
// logged) when it is one too many.
bool takeInternalRedirect(RequestContext& ctx, int* redirects, const std::string& uri);

#endif
