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
    std::string remoteAddress;
    unsigned short remotePort;
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

#endif
