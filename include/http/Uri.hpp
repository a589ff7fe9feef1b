#ifndef WEBSERV_HTTP_URI_HPP
#define WEBSERV_HTTP_URI_HPP

// The request-target (RFC 9112 §3.2) and the path normalisation every
// route decision starts from. Pure functions.

#include <string>

struct RequestTarget {
    std::string authority;   // host[:port] of an absolute-form target, else ""
    std::string path;        // raw (still percent-encoded), starts with '/'
    std::string query;       // after '?', as received; "" when absent
    bool hasQuery;
};

// Accepts origin-form ("/a?b") and absolute-form ("http://h:1/a?b");
// anything else ("*", authority-form, garbage) returns false.
bool splitRequestTarget(const std::string& target, RequestTarget* out);

// Percent-decodes rawPath, merges repeated slashes and removes dot segments
// (RFC 3986 §5.2.4). A trailing slash is kept. Returns false (a 400) for a
// bad escape, an encoded NUL, or a path that climbs above "/".
// On success the result starts with '/' and contains no "//", "/./" or
// "/../" whatever the input was.
bool normalizePath(const std::string& rawPath, std::string* out);
// The same for a path already decoded (a URI built from variables, whose
// "$uri" part must not be decoded twice): only slashes and dot segments.
bool cleanPath(const std::string& path, std::string* out);

// "Example.ORG:8080" -> "example.org", "[::1]:80" -> "[::1]", trailing dot
// dropped. Returns false when value is not a syntactically valid uri-host
// with an optional numeric port.
bool normalizeHost(const std::string& value, std::string* host);

#endif
