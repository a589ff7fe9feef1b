#ifndef WEBSERV_HTTP_RESPONSEHEAD_HPP
#define WEBSERV_HTTP_RESPONSEHEAD_HPP

// A response's status and header fields, and their wire form.

#include <string>

#include "http/HeaderMap.hpp"

// "Not Found" for 404; "Unknown" for a code without a registered phrase.
const char* reasonPhrase(int status);
// False for 1xx, 204 and 304, which never carry a body (RFC 9110 §6.4.1).
bool statusAllowsBody(int status);

struct ResponseHead {
    int status;
    std::string reason;      // "" for the standard phrase of status
    HeaderMap headers;

    ResponseHead();
    void reset(int newStatus);
    // Appends the status line, the Server and Date fields every response
    // carries, the other fields and the empty line.
    void serialize(std::string& out) const;
};

#endif
