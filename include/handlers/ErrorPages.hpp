#ifndef WEBSERV_HANDLERS_ERRORPAGES_HPP
#define WEBSERV_HANDLERS_ERRORPAGES_HPP

// Error responses: the location's `error_page` if it has one for the
// status (an internal redirect to a file, served with the original
// status), else a small built-in HTML page.

#include <string>

#include "router/RequestContext.hpp"
#include "http/Response.hpp"

// The built-in page for status: "<h1>404 Not Found</h1>" in clean HTML.
std::string builtinStatusPage(int status);

void respondError(const RequestContext& ctx, int status, Response& response);

#endif
