#ifndef WEBSERV_HTTP_NEGOTIATION_HPP
#define WEBSERV_HTTP_NEGOTIATION_HPP

// Proactive content negotiation on Accept (RFC 9110 §12.5.1), as much as
// the server needs: a handler that can answer in two formats asks which of
// them the client ranks higher. Pure and lenient: a missing or garbled
// Accept ranks nothing, so the handler's default format wins.

#include <string>

#include "http/HeaderMap.hpp"

// The q-value an Accept value gives type (lower case, "text/html"): that of
// the most specific matching range (type, then "text/*", then "*/*"), the
// last one of equally specific ranges; 0 when no range matches.
double acceptQuality(const std::string& accept, const std::string& type);

// Whether an Accept value ranks application/json strictly above text/html.
bool prefersJson(const std::string& accept);
// The same for a request's first Accept field; false without one.
bool prefersJson(const HeaderMap& headers);

#endif
