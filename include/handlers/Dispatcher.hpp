#ifndef WEBSERV_HANDLERS_DISPATCHER_HPP
#define WEBSERV_HANDLERS_DISPATCHER_HPP

// Picks the handler for a routed request and lets it fill the response.

#include "handlers/BodyHandler.hpp"
#include "handlers/RequestContext.hpp"
#include "http/Response.hpp"

// Answers a request whose body (if any) the handler does not need.
void respond(const RequestContext& ctx, Response& response);

// For a route that reads the request body (uploads), its handler. 0 for
// the others (*status 0: use respond()), or 0 with the status to answer
// when the request is refused before its body is read.
BodyHandler* createBodyHandler(const RequestContext& ctx, int* status);

#endif
