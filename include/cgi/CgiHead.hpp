#ifndef WEBSERV_CGI_CGIHEAD_HPP
#define WEBSERV_CGI_CGIHEAD_HPP

// The header block a CGI script writes before its body (RFC 3875 §6).
// Pure: the bytes of the block in, its meaning out.

#include <sys/types.h>
#include <cstddef>
#include <string>

#include "http/Upstream.hpp"

// A script's head is an upstream head: RFC 3875 fills the same fields.
typedef UpstreamHead CgiHead;

// Where the header block ends in data: the offset just after its empty
// line, or 0 when the block is not complete yet.
size_t findCgiHeadEnd(const char* data, size_t len);

// Parses a complete header block (its empty line included). False for a
// malformed one: none of Content-Type, Location and Status, a line without
// a colon or with a control byte, an invalid Status or Content-Length. The
// server answers 502 then.
bool parseCgiHead(const std::string& block, CgiHead* head);

#endif
