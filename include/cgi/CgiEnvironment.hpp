#ifndef WEBSERV_CGI_CGIENVIRONMENT_HPP
#define WEBSERV_CGI_CGIENVIRONMENT_HPP

// The environment a CGI script runs with (RFC 3875 §4.1): the request's
// meta-variables, every request header as HTTP_*, REDIRECT_STATUS for
// php-cgi, and PATH. Nothing else of the server's environment.

#include <sys/types.h>
#include <string>
#include <vector>

#include "router/RequestContext.hpp"

// "NAME=value" strings. contentLength is the (decoded) body size, -1 when
// the request has no body.
std::vector<std::string> cgiEnvironment(const RequestContext& ctx, off_t contentLength);

// HTTP_ACCEPT_LANGUAGE for "Accept-Language"; "" for a header name that
// cannot be one (characters other than letters, digits and '-'), which is
// then left out rather than risk two headers mapping to one variable.
std::string cgiHeaderVariable(const std::string& headerName);

#endif
