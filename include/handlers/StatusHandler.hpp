#ifndef WEBSERV_HANDLERS_STATUSHANDLER_HPP
#define WEBSERV_HANDLERS_STATUSHANDLER_HPP

// `status on;`: live counters, like nginx's stub_status: plain text, or
// JSON when the request's Accept prefers application/json.

#include "router/RequestContext.hpp"
#include "http/Response.hpp"

struct ServerStatus {
    unsigned long accepted;      // connections accepted since start
    unsigned long handled;       // ... and handled (not refused for lack of resources)
    unsigned long requests;      // request heads received
    long active;                 // open client connections: reading + writing + waiting
    long reading;                // reading a request head or body
    long writing;                // working on or sending a response
    long waiting;                // idle keep-alive
    long cgiProcesses;           // CGI children not yet reaped
    long sessions;               // sessions in the store
    long rateKeys;               // limit_req: client addresses (per rule) remembered
    long rateMaxKeys;            // ... at most
    unsigned long rateEvictions; // ... forgotten to make room
    long connectionAddresses;    // limit_conn: addresses holding connections
    unsigned long limitBytes;    // the heap both tables hold
    long fastcgiKept;            // FastCGI connections waiting in the pool
    unsigned long fastcgiReused; // ... taken from it since start
    long proxyKept;              // proxied servers' connections in the pool
    unsigned long proxyReused;
    long uptimeSeconds;

    ServerStatus();
};

// Whoever knows the counters (the server), asked when a page is built.
class StatusSource {
public:
    virtual ~StatusSource() {}
    virtual ServerStatus currentStatus() const = 0;
};

void respondStatus(const RequestContext& ctx, Response& response);

// The plain-text and JSON renderings. Pure.
std::string statusText(const ServerStatus& status);
std::string statusJson(const ServerStatus& status);

#endif
