#ifndef WEBSERV_HANDLERS_REDIRECT_HPP
#define WEBSERV_HANDLERS_REDIRECT_HPP

// `return` directives and redirects. A Location that is a path becomes an
// absolute URL built as nginx builds it: the request's Host (else the local
// address) and the port the connection arrived on (omitted when 80).

#include <string>

#include "router/RequestContext.hpp"
#include "http/Response.hpp"

std::string absoluteLocation(const RequestContext& ctx, const std::string& target);
void respondRedirect(const RequestContext& ctx, int status, const std::string& target,
    Response& response);
// The location's `return CODE [URL|TEXT]`.
void respondReturn(const RequestContext& ctx, Response& response);

#endif
