#ifndef WEBSERV_HANDLERS_BODYHANDLER_HPP
#define WEBSERV_HANDLERS_BODYHANDLER_HPP

// A handler that consumes the request body as it arrives (uploads), and
// answers once it is complete. Destroying it before the end abandons the
// request: it must then leave nothing behind.

#include <cstddef>

#include "http/Response.hpp"

class BodyHandler {
public:
    virtual ~BodyHandler() {}
    // The next decoded body bytes. 0 to go on, else the error status that
    // ends the request.
    virtual int onBodyData(const char* data, size_t len) = 0;
    // The whole body has arrived: fill response (a success or an error).
    virtual void onBodyEnd(Response& response) = 0;
};

#endif
