#ifndef WEBSERV_HANDLERS_DISPATCHER_HPP
#define WEBSERV_HANDLERS_DISPATCHER_HPP

// Picks the handler for a routed request and lets it fill the response.

#include "handlers/RequestContext.hpp"
#include "http/Response.hpp"

void respond(const RequestContext& ctx, Response& response);

#endif
