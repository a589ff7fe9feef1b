#ifndef WEBSERV_HANDLERS_DISPATCHER_HPP
#define WEBSERV_HANDLERS_DISPATCHER_HPP

// Picks the handler for a routed request and lets it fill the response.
// Requests answered by an upstream (ROUTE_CGI) are started by the exchange,
// not here.

#include "handlers/BodyHandler.hpp"
#include "router/FileResolver.hpp"
#include "router/RequestContext.hpp"
#include "http/Response.hpp"

// Answers a request whose body (if any) the handler does not need: every
// action but ROUTE_CGI and ROUTE_UPLOAD. file: what resolveRoute() found,
// for ROUTE_STATIC.
void respond(const RequestContext& ctx, const ResolvedFile& file, Response& response);

// For a route that reads the request body (uploads), its handler. 0 for
// the others (*status 0: use respond()), or 0 with the status to answer
// when the request is refused before its body is read.
BodyHandler* createBodyHandler(const RequestContext& ctx, int* status);

#endif
