#ifndef WEBSERV_ROUTER_REQUESTCONTEXT_HPP
#define WEBSERV_ROUTER_REQUESTCONTEXT_HPP

// Everything a handler may consult about the request it answers.

#include <string>

#include "config/Config.hpp"
#include "http/Request.hpp"
#include "router/Router.hpp"
#include "session/SessionBinding.hpp"

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
    SessionState session;         // id "" when the location has no sessions

    RequestContext();
};

#endif
