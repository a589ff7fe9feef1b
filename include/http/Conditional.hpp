#ifndef WEBSERV_HTTP_CONDITIONAL_HPP
#define WEBSERV_HTTP_CONDITIONAL_HPP

// Conditional requests (RFC 9110 §13) and byte ranges (§14) for a
// representation known by its entity tag, modification time and size.
// Pure: request fields in, a verdict out.

#include <sys/types.h>
#include <ctime>
#include <string>

#include "http/HeaderMap.hpp"

// nginx's form: "<mtime in hex>-<size in hex>", quoted.
std::string makeEntityTag(time_t modified, off_t size);

enum Precondition {
    PRECONDITION_PASSED,        // serve as usual
    PRECONDITION_NOT_MODIFIED,  // 304 (GET/HEAD whose cached copy is current)
    PRECONDITION_FAILED         // 412
};

// If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, in the
// order of RFC 9110 §13.2.2. safeMethod: GET or HEAD.
Precondition evaluatePreconditions(const HeaderMap& request, const std::string& entityTag,
    time_t modified, bool safeMethod);

struct ByteRange {
    off_t first;
    off_t last;                 // inclusive
    off_t length() const { return last - first + 1; }
};

enum RangeVerdict {
    RANGE_WHOLE,                // no (usable) Range: the whole representation
    RANGE_PARTIAL,              // one satisfiable range: 206
    RANGE_UNSATISFIABLE         // 416
};

// A single range ("bytes=0-99", "bytes=100-", "bytes=-100") is served as
// asked; several ranges, a malformed Range or a failed If-Range give the
// whole representation (as nginx does without multipart ranges).
RangeVerdict evaluateRange(const HeaderMap& request, const std::string& entityTag,
    time_t modified, off_t size, ByteRange* range);

#endif
