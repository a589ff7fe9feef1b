#ifndef WEBSERV_ROUTER_REQUESTCONTEXT_HPP
#define WEBSERV_ROUTER_REQUESTCONTEXT_HPP

// Everything a handler may consult about the request it answers.

#include <string>

#include "config/Config.hpp"
#include "http/Request.hpp"
#include "router/Router.hpp"
#include "session/SessionBinding.hpp"
#include "util/Log.hpp"

class FileCache;
class StatCache;
class SessionStore;
class StatusSource;

struct RequestContext {
    const Config* config;
    const Router* router;
    FileCache* fileCache;         // 0: no caching
    StatCache* statCache;         // 0: stat() every time
    const Request* request;
    RouteDecision route;
    ListenAddress local;          // the address the connection arrived on
    std::string remoteAddress;    // the client's: a trusted proxy's header may say it
    unsigned short remotePort;
    std::string peerAddress;      // the connection's other end, whatever it says
    std::string scheme;           // "http", or "https" when a trusted proxy says so
    bool forwarded;               // the peer is a trusted proxy: the Host sent is
                                  // the client's, port included
    SessionStore* sessions;
    const StatusSource* statusSource;
    std::string remoteUser;       // authenticated by auth_basic, else ""
    SessionState session;         // id "" when the location has no sessions,
                                  // or none yet (see SessionBinding.hpp)

    RequestContext();
};

// One error-log line about this request, nginx style: the reason, then
// ", client: ADDR, server: NAME, request: \"LINE\", host: \"HOST\"" (the
// host as the client sent it, left out when it sent none). Every refusal
// or failure with a server-side cause (403 by policy, 500, 502, 504) writes
// one, so a user can find why.
void logRequestError(const RequestContext& ctx, const std::string& reason);
// The same with ", upstream: \"URL\"" after the request, as nginx names the
// server a proxied request went to.
void logRequestError(const RequestContext& ctx, const std::string& reason,
    const std::string& upstream);

// Who the client is, once the request is routed: the peer itself, unless
// the peer is one of the location's set_real_ip_from proxies; then the
// address its real_ip_header names, and https when its X-Forwarded-Proto
// says so (a client's own X-Forwarded-* count for nothing).
void takeForwardedClient(RequestContext& ctx);

#endif
